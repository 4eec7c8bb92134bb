// OsteoCast: bone morphometry of a forecast (or any scan).
// Uses BoneJ's "Area/Volume fraction" and "Thickness" when BoneJ is installed,
// otherwise OsteoCast's own "Bone Morphometry" (BV/TV, local and cortical thickness);
// then OsteoCast's "Bone Rigidity (CTRA)" (EA, EI_min, EI_max, GJ per slice, the weakest slice)
// into "<results>_rigidity.csv" beside the results.
//
// Headless:  ImageJ --headless -batch morphometry.ijm "<image.tif>|<results.csv>"
//            (plain ImageJ 1.x on a server: xvfb-run -a java -jar ij.jar -batch morphometry.ijm "...")
// Without an argument it asks for the files.

args = getArgument();
if (args == "") {
	input = File.openDialog("Forecast or scan (TIFF stack)");
	output = File.getDirectory(input) + File.getNameWithoutExtension(input) + "_morphometry.csv";
} else {
	parts = split(args, "|");
	if (parts.length != 2) exit("morphometry.ijm: expected '<image>|<results.csv>', got: " + args);
	input = parts[0];
	output = parts[1];
}
if (!File.exists(input)) exit("morphometry.ijm: no such image: " + input);

open(input);
title = getTitle();
run("Clear Results");

List.setCommands;
bonej = false;
if (List.get("Area/Volume fraction") != "") {
	if (List.get("Thickness") != "") bonej = true;
}
if (bonej) {
	print("morphometry: using BoneJ");
	setAutoThreshold("Otsu dark stack");
	setOption("BlackBackground", true);
	run("Convert to Mask", "method=Otsu background=Dark black");
	run("Area/Volume fraction");
	selectImage(title);
	run("Thickness", "mapchoice=[Trabecular thickness] showmaps=false maskartefacts=true");
} else {
	print("morphometry: BoneJ not installed, using OsteoCast's Bone Morphometry");
	run("Bone Morphometry", "threshold=NaN");
}
saveAs("Results", output);
print("morphometry: wrote " + output);

// fracture risk: CT-based rigidity analysis (relative mode: no density calibration)
selectImage(title);
run("Clear Results");
run("Bone Rigidity (CTRA)", "threshold=NaN bmd_slope=NaN");
rigidity = replace(output, "\\.csv$", "") + "_rigidity.csv";
saveAs("Results", rigidity);
print("morphometry: wrote " + rigidity);
