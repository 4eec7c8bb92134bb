package org.osteocast.spark;

import java.io.Serializable;

/**
 * What one Spark task reports for one mouse and one step: a row of the status
 * table ({@code mouse, step, status, message, seconds}) and what the driver
 * needs to join the mice (a JSON record, or a slice cut).
 */
public final class MouseResult implements Serializable {

	private static final long serialVersionUID = 1L;

	/** Status of a mouse whose step ran and wrote its outputs. */
	public static final String OK = "ok";
	/** Status of a mouse whose earlier outputs were complete and verified (checksums), so it was not redone. */
	public static final String SKIPPED = "skipped";
	/** Status of a mouse whose step failed; the other mice go on. */
	public static final String ERROR = "error";

	public final String mouse, step, status, message;
	public final double seconds;
	/** The step's record for the driver (register: the rows; predict: the prediction.json entry); may be null. */
	public final String json;
	/** The slice step's cut (null for the other steps). */
	public final Serializable payload;

	MouseResult(final String mouse, final String step, final String status, final String message, final double seconds,
		final String json, final Serializable payload)
	{
		this.mouse = mouse;
		this.step = step;
		this.status = status;
		this.message = message == null ? "" : message;
		this.seconds = seconds;
		this.json = json;
		this.payload = payload;
	}

	/** Whether the mouse has usable outputs (done now, or verified from an earlier run). */
	public boolean usable() {
		return !ERROR.equals(status);
	}

	@Override
	public String toString() {
		return mouse + " " + step + " " + status + (message.isEmpty() ? "" : ": " + message);
	}
}
