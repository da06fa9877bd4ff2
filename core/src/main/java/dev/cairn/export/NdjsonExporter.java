package dev.cairn.export;

import dev.cairn.internal.OwnerOnlyFiles;
import dev.cairn.resource.Resource;
import dev.cairn.span.SpanData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * Writes each item as one JSON object per line (NDJSON) to standard output or to a size-rotated
 * file: the exporter for "no backend yet", and the one the demo uses.
 *
 * <pre>{@code
 * Exporter<SpanData> out = NdjsonExporter.spansToStdout();
 * Exporter<SpanData> file = NdjsonExporter.builder(SpanNdjson.encoder())
 *     .file(Path.of("/var/log/app/spans.ndjson"))
 *     .maxFileBytes(64 * 1024 * 1024).maxFiles(5)
 *     .build();
 * }</pre>
 *
 * <p>A batch is encoded into one buffer and written with one call, so lines of one batch are never
 * interleaved with other output. Rotation: when the next batch would push the file past {@code
 * maxFileBytes}, {@code spans.ndjson} becomes {@code spans.ndjson.1} (older ones shift up to
 * {@code .maxFiles}, the oldest is deleted). I/O errors fail the batch (counted by the pipeline)
 * and the file is reopened on the next batch. Files and missing parent directories it creates
 * are readable by the owner only ({@code rw-------}, {@code rwx------}), whatever the umask.
 *
 * @param <T> the signal type
 */
public final class NdjsonExporter<T> implements Exporter<T> {
  /**
   * Writes one item as a single-line JSON object (no trailing newline) into {@code out}. Must
   * escape line terminators inside strings.
   *
   * @param <T> the signal type
   */
  @FunctionalInterface
  public interface Encoder<T> {
    /** Appends the JSON object for {@code item}. */
    void encode(T item, StringBuilder out);
  }

  private final String name;
  private final Encoder<T> encoder;
  private final Path file;
  private final PrintStream stdout;
  private final long maxFileBytes;
  private final int maxFiles;
  private final StringBuilder buffer = new StringBuilder(16 * 1024);
  private OutputStream out;
  private long written;

  private NdjsonExporter(Builder<T> b) {
    this.name = b.name;
    this.encoder = b.encoder;
    this.file = b.file;
    this.stdout = b.file == null ? (b.stream != null ? b.stream : System.out) : null;
    this.maxFileBytes = b.maxFileBytes;
    this.maxFiles = b.maxFiles;
  }

  /** Spans to standard output, in {@link SpanNdjson}'s format. */
  public static NdjsonExporter<SpanData> spansToStdout() {
    return builder(SpanNdjson.encoder()).build();
  }

  /** Spans to a file (64 MiB × 5 rotation), in {@link SpanNdjson}'s format. */
  public static NdjsonExporter<SpanData> spansToFile(Path file) {
    return builder(SpanNdjson.encoder()).file(file).build();
  }

  /** A builder for items encoded by {@code encoder}; writes to standard output unless a file is set. */
  public static <T> Builder<T> builder(Encoder<T> encoder) {
    return new Builder<>(encoder);
  }

  /** Spans encoded by {@link SpanNdjson#encoder()} carry {@code resource} from now on. */
  @Override
  public void useResource(Resource resource) {
    if (encoder instanceof SpanNdjson.Adopting a && resource != null) {
      a.adopt(resource);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ExportResult export(List<T> batch) {
    StringBuilder sb = buffer;
    sb.setLength(0);
    int encoded = 0;
    for (int i = 0; i < batch.size(); i++) {
      int mark = sb.length();
      try {
        encoder.encode(batch.get(i), sb);
        sb.append('\n');
        encoded++;
      } catch (RuntimeException e) {
        sb.setLength(mark); // a broken item is skipped, not the batch
      }
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (sb.capacity() > 1 << 20) {
      buffer.setLength(0);
      buffer.trimToSize(); // one huge batch must not pin a huge buffer forever
    }
    try {
      if (stdout != null) {
        stdout.write(bytes, 0, bytes.length);
        stdout.flush();
        if (stdout.checkError()) {
          return ExportResult.failure("io", "standard output reported an error");
        }
      } else {
        writeToFile(bytes);
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      return ExportResult.failure("io", e);
    }
    int skipped = batch.size() - encoded;
    return skipped == 0
        ? ExportResult.success()
        : ExportResult.partialSuccess(skipped, skipped + " items could not be encoded");
  }

  private void writeToFile(byte[] bytes) throws IOException {
    if (out == null) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        OwnerOnlyFiles.createDirectories(parent);
      }
      out = OwnerOnlyFiles.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      written = Files.size(file);
    }
    if (written > 0 && written + bytes.length > maxFileBytes) {
      rotate();
    }
    out.write(bytes);
    out.flush();
    written += bytes.length;
  }

  private void rotate() throws IOException {
    closeQuietly();
    if (maxFiles <= 0) {
      Files.deleteIfExists(file);
    } else {
      Files.deleteIfExists(rotated(maxFiles));
      for (int i = maxFiles - 1; i >= 1; i--) {
        Path from = rotated(i);
        if (Files.exists(from)) {
          Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }
    out = OwnerOnlyFiles.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    written = 0;
  }

  private Path rotated(int i) {
    return file.resolveSibling(file.getFileName() + "." + i);
  }

  private void closeQuietly() {
    OutputStream o = out;
    out = null;
    if (o != null) {
      try {
        o.close();
      } catch (IOException ignored) {
        // the file is reopened on the next batch
      }
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }

  @Override
  public String toString() {
    return "NdjsonExporter[" + (file == null ? "stdout" : file) + "]";
  }

  /**
   * Builds an {@link NdjsonExporter}.
   *
   * @param <T> the signal type
   */
  public static final class Builder<T> {
    private final Encoder<T> encoder;
    private String name = "ndjson";
    private Path file;
    private PrintStream stream;
    private long maxFileBytes = 64L * 1024 * 1024;
    private int maxFiles = 5;

    private Builder(Encoder<T> encoder) {
      this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /** The exporter name used in health counters (default {@code ndjson}). */
    public Builder<T> name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name must not be empty");
      }
      this.name = name;
      return this;
    }

    /** Write to this file instead of standard output. */
    public Builder<T> file(Path file) {
      this.file = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Write to this stream instead of standard output (tests, stderr). */
    public Builder<T> stream(PrintStream stream) {
      this.stream = Objects.requireNonNull(stream, "stream");
      return this;
    }

    /** Rotate the file beyond this size, ≥ 1 KiB (default 64 MiB). */
    public Builder<T> maxFileBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxFileBytes must be >= 1024: " + bytes);
      }
      this.maxFileBytes = bytes;
      return this;
    }

    /** Rotated files kept besides the current one, 0 to 100 (default 5). */
    public Builder<T> maxFiles(int n) {
      if (n < 0 || n > 100) {
        throw new IllegalArgumentException("maxFiles must be in [0, 100]: " + n);
      }
      this.maxFiles = n;
      return this;
    }

    /** The exporter. */
    public NdjsonExporter<T> build() {
      return new NdjsonExporter<>(this);
    }
  }
}
