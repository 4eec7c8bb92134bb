// OsteoCast engine check: prints the platform, where the deep-learning engine's native
// library comes from, whether training will work (and on which device), and the engine's
// versions, devices and CUDA. Paste its output into a support request.
//   Fiji:          Plugins > Macros > Run... > engine_check.ijm
//   headless Fiji: ImageJ-linux64 --headless -batch macros/engine_check.ijm
//   ImageJ 1.x:    xvfb-run -a java -jar ij.jar -batch macros/engine_check.ijm
print("OsteoCast engine check, ImageJ " + getVersion() + ", Java " + getInfo("java.version") + ", " + getInfo("os.name") + " " + getInfo("os.arch"));
run("OsteoCast Engine", "action=Show");
print("engine check done");
