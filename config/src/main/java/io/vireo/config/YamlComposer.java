package io.vireo.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.ScannerImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns vireo.yaml's text into a YAML node tree (YAML 1.2 core schema, with marks, so every value
 * keeps its line and column). Text that is not YAML fails as one {@link ConfigException} naming
 * the position, or the nearest one that still read when the YAML engine gives none.
 */
final class YamlComposer {
  private YamlComposer() {}

  /** The document's node tree; empty for a file with no document (empty, or only comments). */
  static Optional<Node> compose(String yaml, String sourceName) throws ConfigException {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(sourceName)
            .setSchema(new CoreSchema())
            .setUseMarks(true)
            // A non-scalar key would otherwise fail without a position; YamlSection reports it
            // with its line ("keys must be plain names").
            .setAllowNonScalarKeys(true)
            .build();
    try {
      return new Compose(settings).composeString(yaml);
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark =
          e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
      String problem =
          Stream.of(e.getContext(), e.getProblem())
              .filter(part -> part != null && !part.isBlank())
              .collect(Collectors.joining("; "));
      int line = mark.map(m -> m.getLine() + 1).orElse(0);
      int column = mark.map(m -> m.getColumn() + 1).orElse(0);
      throw new ConfigException(
          sourceName, List.of(new ConfigProblem("", line, column, "invalid YAML: " + problem)));
    } catch (ReaderException e) {
      // The character check runs before any mark exists; its position is a code point index.
      int[] at = lineAndColumn(yaml, e.getPosition());
      throw new ConfigException(
          sourceName,
          List.of(
              new ConfigProblem(
                  "",
                  at[0],
                  at[1],
                  "invalid YAML: character U+%04X is not allowed (YAML allows printable characters, tab and line breaks)"
                      .formatted(e.getCodePoint()))));
    } catch (YamlEngineException e) {
      // Some errors come without a position: point at the last token (or event) that still read.
      Optional<Mark> near = lastReadableMark(yaml, settings);
      throw new ConfigException(
          sourceName,
          List.of(
              new ConfigProblem(
                  "",
                  near.map(m -> m.getLine() + 1).orElse(0),
                  near.map(m -> m.getColumn() + 1).orElse(0),
                  "invalid YAML: " + e.getMessage() + (near.isPresent() ? " (just after here)" : ""))));
    }
  }

  /**
   * The end of the last token the YAML scanner reads before it fails, or of the last event the parser
   * reads before it fails; empty when both read to the end. Only called for an invalid file.
   */
  private static Optional<Mark> lastReadableMark(String yaml, LoadSettings settings) {
    Optional<Mark> last = Optional.empty();
    try {
      ScannerImpl scanner = new ScannerImpl(settings, new StreamReader(settings, yaml));
      while (scanner.hasNext()) {
        last = scanner.next().getEndMark();
      }
    } catch (YamlEngineException e) {
      return last;
    }
    try {
      ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, yaml));
      while (parser.hasNext()) {
        last = parser.next().getEndMark();
      }
    } catch (YamlEngineException e) {
      return last;
    }
    return Optional.empty();
  }

  /** 1-based line and column of the code point at {@code codePointIndex}; CRLF, CR and LF end lines. */
  private static int[] lineAndColumn(String text, int codePointIndex) {
    int line = 1;
    int column = 1;
    int i = 0;
    for (int n = 0; n < codePointIndex && i < text.length(); n++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      boolean crlf = c == '\r' && i < text.length() && text.charAt(i) == '\n';
      if (c == '\n' || (c == '\r' && !crlf)) {
        line++;
        column = 1;
      } else if (!crlf) {
        column++;
      }
    }
    return new int[] {line, column};
  }
}
