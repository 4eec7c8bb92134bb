package org.osteocast.io.contracts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.osteocast.core.BadInputException;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.util.IoErrors;

/**
 * The one output rule of every verb and Fiji command. An output (a folder of
 * results, or one file) is checked before any work is done and appears whole
 * or not at all:
 * <ul>
 * <li>it is resolved, normalised and compared by real path with the inputs: an
 * output that is an input, lies inside an input folder, or would hold an input
 * is refused;</li>
 * <li>an existing output (a non-empty folder, or a file) is refused unless
 * overwriting is allowed ({@code --overwrite}; Fiji: the "Overwrite" box); with
 * it, the old output is replaced as a whole, so no stale file of an earlier run
 * stays beside the new ones;</li>
 * <li>a lock file beside the output ({@code .<name>.lock}, an operating-system
 * lock, released even when the process is killed) refuses a second writer;</li>
 * <li>a folder is written into a hidden sibling ({@code .<name>.partial-…})
 * and renamed into place by {@link #commit()}; if the run fails or is
 * cancelled, {@link #close()} removes the partial folder and the last complete
 * output (or nothing) remains. A file is written with {@link AtomicFiles}.</li>
 * </ul>
 * Usage: {@code try (Output o = Output.folder(out, overwrite, inputs)) { write
 * into o.dir(); o.commit(); }}.
 */
public final class Output implements AutoCloseable {

	/** The end of the message for an existing output (tests assert on it). */
	public static final String EXISTS = "already exists; choose another output or allow overwriting (--overwrite; in Fiji the 'Overwrite' box)";
	/** The message for a second writer (tests assert on it). */
	public static final String LOCKED = "is being written by another OsteoCast run; wait for it to finish (its lock: ";

	private final Path target, parent, lockFile, staging;
	private final FileChannel lockChannel;
	private final FileLock lock;
	private boolean committed, closed;

	private Output(final Path target, final Path staging, final Path lockFile, final FileChannel ch, final FileLock lock) {
		this.target = target;
		this.parent = target.getParent();
		this.staging = staging;
		this.lockFile = lockFile;
		this.lockChannel = ch;
		this.lock = lock;
	}

	/**
	 * Prepares an output folder.
	 *
	 * @param out the folder the user named
	 * @param overwrite whether an existing, non-empty folder may be replaced
	 * @param inputs the run's inputs (files or folders); none may be inside the
	 *          output or hold it, and the output may not be one of them
	 * @throws BadInputException naming the output and the problem
	 */
	public static Output folder(final Path out, final boolean overwrite, final Collection<Path> inputs)
		throws IOException
	{
		final Path target = resolve(out);
		if (Files.exists(target) && !Files.isDirectory(target)) throw new BadInputException(out,
			"is a file; the output must be a folder");
		checkInputs(out, target, inputs, true);
		if (!overwrite && nonEmpty(target)) throw new BadInputException(out, EXISTS);
		final Output o = lock(out, target, true);
		if (!overwrite && nonEmpty(target)) { // written by another run between the check and the lock
			o.close();
			throw new BadInputException(out, EXISTS);
		}
		return o;
	}

	/**
	 * Prepares an output file (written by the caller with {@link AtomicFiles}
	 * to {@link #target()}).
	 *
	 * @see #folder(Path, boolean, Collection)
	 */
	public static Output file(final Path out, final boolean overwrite, final Collection<Path> inputs)
		throws IOException
	{
		final Path target = resolve(out);
		if (Files.isDirectory(target)) throw new BadInputException(out, "is a folder; name a file to write");
		checkInputs(out, target, inputs, false);
		if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw new BadInputException(out, EXISTS);
		return lock(out, target, false);
	}

	/** Checks a file output without locking it (for outputs written in one atomic step). */
	public static void checkFile(final Path out, final boolean overwrite, final Collection<Path> inputs)
		throws IOException
	{
		file(out, overwrite, inputs).close();
	}

	/** The final output path (absolute, normalised). */
	public Path target() {
		return target;
	}

	/** Where to write now: the hidden partial folder for a folder output, the target itself for a file. */
	public Path dir() {
		return staging != null ? staging : target;
	}

	/**
	 * {@code dir()/<id><suffix>} for an identifier checked by {@link Ids}: never
	 * outside the output.
	 */
	public Path resolve(final String kind, final String id, final String suffix) {
		Ids.check(kind, id);
		return dir().resolve(id + suffix);
	}

	/** Where a path written inside {@link #dir()} lies once committed. */
	public Path finalPath(final Path written) {
		if (staging == null) return written;
		final Path w = written.toAbsolutePath().normalize();
		return w.startsWith(staging) ? target.resolve(staging.relativize(w)) : w;
	}

	/**
	 * Puts a folder output in place: the old output (if any, overwriting) is
	 * replaced as a whole. Nothing to do for a file output.
	 */
	public void commit() throws IOException {
		if (committed) return;
		if (staging != null) {
			Path old = null;
			if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
				old = parent.resolve("." + target.getFileName() + ".old-" + UUID.randomUUID().toString().substring(0, 8));
				move(target, old);
			}
			try {
				move(staging, target);
			}
			catch (final IOException e) {
				if (old != null) move(old, target); // put the last complete output back
				throw e;
			}
			if (old != null) deleteTree(old);
		}
		committed = true;
	}

	/** Removes an uncommitted partial folder and releases the lock. */
	@Override
	public void close() throws IOException {
		if (closed) return;
		closed = true;
		try {
			if (!committed && staging != null) deleteTree(staging);
		}
		finally {
			try {
				Files.deleteIfExists(lockFile);
			}
			finally {
				if (lock.isValid()) lock.release();
				lockChannel.close();
			}
		}
	}

	private static Path resolve(final Path out) throws IOException {
		Path p = out.toAbsolutePath().normalize();
		// resolve links of the part that exists, so that two names of one folder compare equal
		Path existing = p;
		final List<Path> rest = new ArrayList<>();
		while (existing != null && !Files.exists(existing)) {
			rest.add(0, existing.getFileName());
			existing = existing.getParent();
		}
		if (existing != null) {
			p = existing.toRealPath();
			for (final Path r : rest)
				p = p.resolve(r);
		}
		if (p.getParent() == null) throw new BadInputException(out, "a file system root cannot be an output");
		return p;
	}

	private static void checkInputs(final Path out, final Path target, final Collection<Path> inputs,
		final boolean folder) throws BadInputException
	{
		for (final Path in : inputs) {
			if (in == null || !Files.exists(in)) continue;
			final Path real;
			try {
				real = in.toRealPath();
			}
			catch (final IOException e) {
				continue;
			}
			if (real.equals(target)) throw new BadInputException(out, "is an input (" + in +
				"); choose a new output so that no input is overwritten");
			if (folder && real.startsWith(target)) throw new BadInputException(out, "holds the input " + in +
				"; choose a new output folder so that no input is overwritten");
			if (Files.isDirectory(real) && target.startsWith(real)) throw new BadInputException(out,
				"lies inside the input folder " + in + "; choose an output outside it");
		}
	}

	private static boolean nonEmpty(final Path dir) throws IOException {
		if (!Files.isDirectory(dir)) return false;
		try (Stream<Path> s = Files.list(dir)) {
			return s.findAny().isPresent();
		}
	}

	private static Output lock(final Path out, final Path target, final boolean folder) throws IOException {
		final Path parent = target.getParent();
		try {
			Files.createDirectories(parent);
		}
		catch (final FileSystemException e) {
			throw new BadInputException(parent, "cannot create the output's folder (" + IoErrors.reason(e) + ")", e);
		}
		final Path lockFile = parent.resolve("." + target.getFileName() + ".lock");
		for (int attempt = 0;; attempt++) {
			final FileChannel ch;
			final Object key;
			try {
				ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
				key = fileKey(lockFile);
			}
			catch (final FileSystemException e) {
				throw new BadInputException(parent, "cannot write here (" + IoErrors.reason(e) + ")", e);
			}
			FileLock l;
			try {
				l = ch.tryLock();
			}
			catch (final OverlappingFileLockException e) {
				l = null;
			}
			if (l == null) {
				ch.close();
				throw new BadInputException(out, LOCKED + lockFile + ")");
			}
			// the last holder deletes the lock file before releasing it: if it did so between our open and our lock,
			// we hold a lock on a deleted file, so lock the current one instead
			if ((key == null || !key.equals(fileKey(lockFile))) && attempt < 10) {
				l.release();
				ch.close();
				continue;
			}
			ch.truncate(0);
			ch.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", " + Instant.now() + "\n")
				.getBytes(StandardCharsets.UTF_8)));
			recover(parent, target);
			Path staging = null;
			if (folder) {
				staging = parent.resolve("." + target.getFileName() + ".partial-" + UUID.randomUUID().toString().substring(0,
					8));
				try {
					Files.createDirectory(staging);
				}
				catch (final IOException e) {
					l.release();
					ch.close();
					Files.deleteIfExists(lockFile);
					throw new BadInputException(parent, "cannot write here (" + IoErrors.reason(e) + ")", e);
				}
			}
			return new Output(target, staging, lockFile, ch, l);
		}
	}

	/**
	 * With the lock held, what earlier runs left beside the output is theirs
	 * alone: a killed run's partial folder is removed, and an old output that a
	 * run killed while committing had moved aside is put back (when the output
	 * itself is missing) or removed.
	 */
	private static void recover(final Path parent, final Path target) throws IOException {
		final String partial = "." + target.getFileName() + ".partial-", old = "." + target.getFileName() + ".old-";
		final List<Path> left = new ArrayList<>();
		try (Stream<Path> s = Files.list(parent)) {
			s.filter(p -> p.getFileName().toString().startsWith(partial) || p.getFileName().toString().startsWith(old))
				.forEach(left::add);
		}
		for (final Path p : left) {
			if (p.getFileName().toString().startsWith(old) && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) move(p,
				target);
			else deleteTree(p);
		}
	}

	private static Object fileKey(final Path file) {
		try {
			return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
		}
		catch (final IOException e) {
			return null;
		}
	}

	private static void move(final Path from, final Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (final AtomicMoveNotSupportedException e) {
			Files.move(from, to);
		}
		catch (final DirectoryNotEmptyException e) {
			throw new BadInputException(to, "cannot replace it (not empty)", e);
		}
	}

	/** Deletes a folder and everything in it (links are removed, not followed). */
	public static void deleteTree(final Path dir) throws IOException {
		if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
		try (Stream<Path> s = Files.walk(dir)) {
			for (final Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator)
				try {
					Files.deleteIfExists(p);
				}
				catch (final NoSuchFileException e) {
					// gone already
				}
		}
	}
}
