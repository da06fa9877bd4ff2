package dev.cairn.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Forked by {@link JournalKillTest}: appends as fast as it can and prints what it was told is
 * durable ("ack POSITION ID" under fsync=always; "durable POSITION" under an interval) until killed.
 */
public final class JournalKillChild {
  private JournalKillChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    boolean always = args[1].equals("always");
    FsyncPolicy policy = always ? FsyncPolicy.always() : FsyncPolicy.every(Duration.ofMillis(5));
    Journal j = Journal.builder(dir).nodeId("child").fsync(policy).segmentBytes(64 * 1024).retainBytes(0).build();
    System.out.println("ready " + j.nextPosition());
    System.out.flush();
    long lastDurable = -1;
    for (long i = 0; ; i++) {
      byte[] payload = ByteBuffer.allocate(24).putLong(i).putLong(i * 31).putLong(~i).array();
      Appended a = j.append("Tick", "k" + (i % 5), payload);
      if (always && a.durable()) {
        System.out.println("ack " + a.position() + " " + a.id());
      } else if (!always && j.durablePosition() > lastDurable) {
        lastDurable = j.durablePosition();
        System.out.println("durable " + lastDurable);
      }
    }
  }
}
