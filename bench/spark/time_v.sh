# Sourced by memory.sh and memory_shared.sh: reads a `/usr/bin/time -v -o FILE` report.
#   read -r wall peak < <(time_v FILE)   # wall-clock seconds (one decimal) and peak resident set (MB)
time_v() {
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; w = s }
		/Maximum resident set size/ { p = $2 / 1024 }
		END { printf "%.1f %.0f\n", w, p }' "$1"
}
