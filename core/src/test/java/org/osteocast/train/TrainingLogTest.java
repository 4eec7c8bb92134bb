package org.osteocast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainingLogTest {

	@Test
	void roundTripWithSpreadAndOldLogsWithout() {
		final TrainingLog log = new TrainingLog();
		log.add(new TrainingLog.Row(1, 0.25, 3.5, 1e-4, 21.5, 0.75, 0.007, 2, new double[] { 1.5, 2 }, 12.5, 400,
			0.0123));
		log.add(new TrainingLog.Row(2, 0.125, 3, 1e-4, 22.5, 0.8, 0.006, 1, new double[] { 1, 2 }, 12, 401));
		final TrainingLog back = TrainingLog.parse(log.csv());
		assertEquals(2, back.rows().size());
		assertEquals(0.0123, back.rows().get(0).valSpread, 1e-9);
		assertTrue(Double.isNaN(back.rows().get(1).valSpread));
		assertArrayEquals(new double[] { 1.5, 2 }, back.rows().get(0).klPerDim, 1e-9);
		assertEquals(2, back.rows().get(0).activeUnits);
		// a log written before the spread column existed still reads, KL per dimension in place
		final String old = "epoch,recon,kl,beta,val_psnr,val_ssim,val_mse,active_units,seconds,rss_mb,kl_d1,kl_d2\n" +
			"1,0.25,3.5,0.0001,21.5,0.75,0.007,2,12.5,400,1.5,2\n";
		final TrainingLog o = TrainingLog.parse(old);
		assertArrayEquals(new double[] { 1.5, 2 }, o.rows().get(0).klPerDim, 1e-9);
		assertTrue(Double.isNaN(o.rows().get(0).valSpread));
		assertEquals(400, o.rows().get(0).rssMb, 0);
	}
}
