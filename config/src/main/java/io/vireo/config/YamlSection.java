package io.vireo.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML mapping of vireo.yaml (the root, {@code limits}, a route...) read key by key. Every read
 * names its key as known; a bad value is reported with its position and replaced by the fallback,
 * so reading goes on and all problems surface in one pass.
 */
final class YamlSection {
  private final LoadContext context;
  private final String path;
  private final Optional<Mark> mark;
  private final boolean inList;
  private final boolean mapping;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final Set<String> known = new LinkedHashSet<>();

  private YamlSection(LoadContext context, String path, Node node, boolean inList) {
    this.context = context;
    this.path = path;
    this.mark = node == null ? Optional.empty() : node.getStartMark();
    this.inList = inList;
    context.register(this);
    if (node instanceof MappingNode map) {
      mapping = true;
      index(map);
    } else {
      // An absent or empty section (`limits:` with everything commented out) means "all defaults".
      mapping = node == null || isNull(node);
      if (!mapping) {
        context.report(path, mark, "expected a mapping of keys, got " + describe(node));
      }
    }
  }

  static YamlSection root(LoadContext context, Node node) {
    return new YamlSection(context, "", node, false);
  }

  /** The nested mapping under {@code key}; an empty section when the key is absent. */
  YamlSection section(String key) {
    known.add(key);
    return new YamlSection(context, childPath(key), valueNode(key), inList);
  }

  /** The mappings listed under {@code key} (such as {@code delivery.routes}); empty when absent. */
  List<YamlSection> sectionList(String key) {
    known.add(key);
    Node value = valueNode(key);
    if (value == null || isNull(value)) {
      return List.of();
    }
    if (!(value instanceof SequenceNode sequence)) {
      context.report(
          childPath(key), value.getStartMark(), "expected a list, got " + describe(value));
      return List.of();
    }
    List<YamlSection> sections = new ArrayList<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      sections.add(
          new YamlSection(
              context, childPath(key) + "[" + i + "]", sequence.getValue().get(i), true));
    }
    return sections;
  }

  /**
   * The keys written in this mapping, each counted as known: for mappings whose keys are data (an
   * alias address, a domain), not names of settings.
   */
  List<String> dataKeys() {
    known.addAll(entries.keySet());
    return List.copyOf(entries.keySet());
  }

  /** True when {@code key} is written here (with any value, even an empty one). */
  boolean has(String key) {
    known.add(key);
    return entries.containsKey(key);
  }

  /**
   * The value under {@code key}, or {@code fallback} when it is absent or invalid (and then
   * reported).
   */
  <T> T get(String key, ValueType<T> type, T fallback) {
    known.add(key);
    Node value = valueNode(key);
    if (value == null) {
      return fallback;
    }
    T parsed = scalar(childPath(key), value, type);
    return parsed == null ? fallback : parsed;
  }

  /** The value under {@code key}, or null when it is absent or invalid (and then reported). */
  <T> T require(String key, ValueType<T> type) {
    known.add(key);
    Node value = valueNode(key);
    if (value == null) {
      context.report(childPath(key), mark, "required; expected " + type.expected());
      return null;
    }
    return scalar(childPath(key), value, type);
  }

  /**
   * The list under {@code key}; {@code fallback} when absent or when any element is invalid (each
   * bad element reported under {@code key[i]}). An explicit null is an empty list. With {@code
   * singleAllowed}, a lone scalar counts as a one-element list.
   */
  <T> List<T> list(String key, ValueType<T> type, List<T> fallback, boolean singleAllowed) {
    known.add(key);
    Node value = valueNode(key);
    if (value == null) {
      return fallback;
    }
    if (isNull(value)) {
      return List.of();
    }
    if (value instanceof ScalarNode && singleAllowed) {
      T single = scalar(childPath(key), value, type);
      return single == null ? fallback : List.of(single);
    }
    if (!(value instanceof SequenceNode sequence)) {
      context.report(
          childPath(key),
          value.getStartMark(),
          "expected a list (each " + type.expected() + "), got " + describe(value));
      return fallback;
    }
    List<T> items = new ArrayList<>();
    boolean failed = false;
    for (int i = 0; i < sequence.getValue().size(); i++) {
      T item = scalar(childPath(key) + "[" + i + "]", sequence.getValue().get(i), type);
      failed |= item == null;
      items.add(item);
    }
    return failed ? fallback : List.copyOf(items);
  }

  /** Reports a problem about {@code key}, at its value when present, else at this section. */
  void problem(String key, String message) {
    Node value = valueNode(key);
    context.report(childPath(key), value == null ? mark : value.getStartMark(), message);
  }

  /**
   * Runs a record constructor, reporting its {@link IllegalArgumentException} against this section.
   * The loader checks every rule itself first, with better positions; this keeps a rule it missed
   * from escaping as a crash.
   */
  <T> T build(Supplier<T> constructor, T fallback) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      context.report(path, mark, e.getMessage());
      return fallback;
    }
  }

  /** False when the YAML here was not a mapping (already reported). */
  boolean isMapping() {
    return mapping;
  }

  boolean inList() {
    return inList;
  }

  Set<String> knownKeys() {
    return known;
  }

  String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Reports each key nobody asked for, suggesting the nearest known key here or elsewhere. */
  void reportUnknownKeys(Map<String, String> pathByLeaf) {
    for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
      String key = entry.getKey();
      if (known.contains(key)) {
        continue;
      }
      Optional<String> nearby = KeySuggestions.closest(key, known);
      String elsewhere = pathByLeaf.get(key);
      String hint;
      if (nearby.isPresent()) {
        hint = "did you mean " + nearby.get() + "?";
      } else if (elsewhere != null && !elsewhere.equals(childPath(key))) {
        hint = "did you mean " + elsewhere + "? (it belongs in another section)";
      } else if (known.isEmpty()) {
        hint = "nothing is expected here";
      } else {
        hint = "expected one of " + String.join(", ", known);
      }
      context.report(
          childPath(key), entry.getValue().getKeyNode().getStartMark(), "unknown key; " + hint);
    }
  }

  private void index(MappingNode map) {
    for (NodeTuple tuple : map.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalarKey) || isNull(keyNode)) {
        context.report(
            path, keyNode.getStartMark(), "keys must be plain names, got " + describe(keyNode));
        continue;
      }
      String key = scalarKey.getValue();
      NodeTuple first = entries.putIfAbsent(key, tuple);
      if (first != null) {
        String where =
            first
                .getKeyNode()
                .getStartMark()
                .map(m -> " (first at line " + (m.getLine() + 1) + ")")
                .orElse("");
        context.report(childPath(key), keyNode.getStartMark(), "duplicate key" + where);
      }
    }
  }

  private Node valueNode(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : tuple.getValueNode();
  }

  private <T> T scalar(String keyPath, Node value, ValueType<T> type) {
    if (!(value instanceof ScalarNode scalar) || isNull(value)) {
      context.report(
          keyPath,
          value.getStartMark(),
          "expected " + type.expected() + ", got " + describe(value));
      return null;
    }
    try {
      return type.parse(scalar.getValue());
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
      context.report(
          keyPath,
          value.getStartMark(),
          "expected "
              + type.expected()
              + ", got "
              + (type.secret().test(scalar.getValue())
                  ? "a value not repeated here (it may hold a secret)"
                  : quote(scalar.getValue()))
              + reason);
      return null;
    }
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  private static String describe(Node node) {
    return switch (node) {
      case MappingNode ignored -> "a mapping";
      case SequenceNode ignored -> "a list";
      case ScalarNode scalar when isNull(scalar) -> "nothing";
      case ScalarNode scalar -> quote(scalar.getValue());
      default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
