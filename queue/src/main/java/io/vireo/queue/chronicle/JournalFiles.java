package io.vireo.queue.chronicle;

import io.vireo.queue.SpoolException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The files of one journal directory, sorted out without opening Chronicle: the cycle files in
 * cycle order, Chronicle's own table files, and anything else (which does not belong there).
 */
record JournalFiles(Path directory, List<CycleFile> cycles, List<Path> strays) {
  /** A file named like a cycle of the journal's roll cycle. */
  record CycleFile(int cycle, Path path) {}

  private static final String TABLE_SUFFIX = ".cq4t";

  static JournalFiles list(Path directory, RollCycle rollCycle) {
    List<CycleFile> cycles = new ArrayList<>();
    List<Path> strays = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return new JournalFiles(directory, List.of(), List.of());
    }
    RollingResourcesCache names =
        new RollingResourcesCache(
            rollCycle,
            0,
            name -> new File(directory.toFile(), name + SingleChronicleQueue.SUFFIX),
            file -> stripSuffix(file.getName()));
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(TABLE_SUFFIX) && Files.isRegularFile(file)) {
          continue;
        }
        Integer cycle = cycleOf(names, name);
        if (cycle != null && Files.isRegularFile(file)) {
          cycles.add(new CycleFile(cycle, file));
        } else {
          strays.add(file);
        }
      }
    } catch (IOException e) {
      throw new SpoolException("cannot list the journal " + directory + ": " + e, e);
    }
    cycles.sort(Comparator.comparingInt(CycleFile::cycle));
    return new JournalFiles(directory, List.copyOf(cycles), List.copyOf(strays));
  }

  /** The cycle a file name stands for, or null when it is not exactly a cycle file's name. */
  private static Integer cycleOf(RollingResourcesCache names, String name) {
    if (!name.endsWith(SingleChronicleQueue.SUFFIX)) {
      return null;
    }
    try {
      int cycle = names.parseCount(stripSuffix(name));
      String expected = names.resourceFor(cycle).path.getName();
      return expected.equals(name) ? cycle : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String stripSuffix(String name) {
    return name.endsWith(SingleChronicleQueue.SUFFIX)
        ? name.substring(0, name.length() - SingleChronicleQueue.SUFFIX.length())
        : name;
  }
}
