// OsteoCast: forecast every mouse of a slice data set with a trained model, and save a
// forecast montage (observed weeks, forecast, uncertainty, change) per mouse.
//
// Argument: "<slice data set folder>|<model.zip>|<output folder>"
//   Fiji headless:   ImageJ --headless -batch batch_forecast.ijm "/data/slices|/data/model.zip|/data/forecasts"
//   On a cluster, one job per data set folder, e.g. with a SLURM array over folders.

args = split(getArgument(), "|");
if (args.length != 3) exit("batch_forecast.ijm: expected '<slice data set>|<model.zip>|<output folder>'");
data = args[0];
model = args[1];
out = args[2];
if (!File.exists(model)) exit("batch_forecast.ijm: no such model: " + model);
File.makeDirectory(out);

run("Predict Next Scan", "model=[" + model + "] data=[" + data + "] out=[" + out + "] split=all");
files = getFileList(out);
n = 0;
for (i = 0; i < files.length; i++) {
	if (!endsWith(files[i], "_pred.tif")) continue;
	mouse = replace(files[i], "_pred.tif", "");
	run("Show Forecast", "data=[" + data + "] predictions=[" + out + "] mouse=" + mouse + " observed=3 slice=0 zoom=3");
	saveAs("PNG", out + "/" + mouse + "_montage.png");
	close();
	n++;
}
print("batch_forecast: " + n + " mice forecast into " + out);
