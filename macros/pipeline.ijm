// OsteoCast: the whole pipeline on a cohort folder, in Fiji or plain ImageJ 1.x.
//   register -> extract VOI slices -> train a T-VAE (or use a trained model) -> predict -> evaluate
//
// Argument: "<cohort>|<work folder>[|<model.zip, or - to train one>|<epochs>|<nf>|<minutes>]"
//   <cohort>  cohort.csv, or a folder laid out as <mouse>/week<k>.tif or <mouse>/week<k>/ (SkyScan NRecon)
//   Fiji headless:   ImageJ --headless -batch pipeline.ijm "/data/cohort|/data/work"
//   plain ImageJ 1.x on a server:   xvfb-run -a java -jar ij.jar -batch pipeline.ijm "/data/cohort|/data/work"

args = split(getArgument(), "|");
if (args.length < 2) exit("pipeline.ijm: expected '<cohort>|<work folder>[|<model.zip>|<epochs>|<nf>|<minutes>]'");
cohort = args[0];
work = args[1];
model = "";
if (args.length > 2) model = args[2];
epochs = "200";
if (args.length > 3) epochs = args[3];
nf = "64";
if (args.length > 4) nf = args[4];
minutes = "0";
if (args.length > 5) minutes = args[5];
if (!File.exists(cohort)) exit("pipeline.ijm: no such cohort: " + cohort);
File.makeDirectory(work);

print("pipeline: registering " + cohort);
run("Register Scans", "cohort=[" + cohort + "] out=[" + work + "/registered]");
print("pipeline: extracting VOI slices");
run("Extract VOI Slices", "cohort=[" + work + "/registered] out=[" + work + "/slices]");
if (model == "" || model == "-") {
	model = work + "/model.zip";
	print("pipeline: training " + model);
	run("Train T-VAE", "data=[" + work + "/slices] model=[" + model + "] epochs=" + epochs + " nf=" + nf + " minutes=" + minutes + " residual");
}
print("pipeline: predicting with " + model);
run("Predict Next Scan", "model=[" + model + "] data=[" + work + "/slices] out=[" + work + "/predictions] split=test");
print("pipeline: evaluating");
run("Evaluate Forecast", "predictions=[" + work + "/predictions] data=[" + work + "/slices] split=test csv=[" + work + "/evaluation.csv]");
print("pipeline: done; scores in " + work + "/evaluation.csv");
