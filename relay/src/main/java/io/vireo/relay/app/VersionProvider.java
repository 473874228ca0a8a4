package io.vireo.relay.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version this build of vireo was made as: {@code version.properties}, filled in by Maven when
 * it builds the jar (and {@code target/classes}), so it is right however the relay is started. The
 * jar's manifest carries the same value as {@code Implementation-Version}.
 */
final class VersionProvider implements IVersionProvider {
  private static final String RESOURCE = "version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"vireo " + version()};
  }

  /** The version, or "dev" for classes compiled outside Maven (an IDE). */
  static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "dev";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "");
      return version.isBlank() || version.startsWith("${") ? "dev" : version;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + " from the class path", e);
    }
  }
}
