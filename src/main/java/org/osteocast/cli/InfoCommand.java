package org.osteocast.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code osteocast info}: describes a scan, a cohort or the engine, as JSON. */
@Command(name = "info", description = "Print JSON describing a scan, a cohort or (--engine) the deep-learning engine.")
public final class InfoCommand implements Callable<Integer> {

	@Override
	public Integer call() {
		throw new UnsupportedOperationException("info is being written");
	}
}
