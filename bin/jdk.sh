# Sourced by the launchers: sets VIREO_JAVA to a java binary of version >= 25 (Vireo uses virtual
# threads and Java 25 APIs). A good JAVA_HOME wins; otherwise the newest JDK under /usr/lib/jvm.
vireo_java_version() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
vireo_find_java() {
  local candidate version best="" best_version=0
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java /opt/java/openjdk/bin/java "$(command -v java 2>/dev/null)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    version=$(vireo_java_version "$candidate")
    version=${version%%.*}
    [ -n "$version" ] || continue
    if [ "$version" -ge 25 ]; then
      # JAVA_HOME, when good, is taken as is; among the rest the newest wins.
      if [ -n "${JAVA_HOME:-}" ] && [ "$candidate" = "$JAVA_HOME/bin/java" ]; then best=$candidate; break; fi
      if [ "$version" -gt "$best_version" ]; then best=$candidate; best_version=$version; fi
    fi
  done
  if [ -z "$best" ]; then
    echo "vireo: no JDK >= 25 found (set JAVA_HOME or install one under /usr/lib/jvm)" >&2
    return 1
  fi
  VIREO_JAVA=$best
}

# The JVM flags from bin/jvm.flags (Chronicle Queue's access to JDK internals, and silencers), the one
# list every Vireo JVM gets. The file is a java @-argument file: `#` starts a comment, and its flags
# hold no spaces or quotes, so splitting on whitespace reads it as java does.
vireo_read_jvm_flags() {
  local line words
  VIREO_JVM_FLAGS=()
  while IFS= read -r line || [ -n "$line" ]; do
    read -r -a words <<<"${line%%#*}"
    VIREO_JVM_FLAGS+=("${words[@]}")
  done <"$1"
}
vireo_read_jvm_flags "$(dirname "${BASH_SOURCE[0]}")/jvm.flags"

# Builds module $1 (and what it needs) when its jar is missing or older than any source or pom.
vireo_ensure_built() {
  local module=$1 jar=$2 root=$3
  if [ -f "$jar" ] && [ -z "$(find "$root"/pom.xml "$root"/config "$root"/queue "$root"/mailbox "$root"/relay "$root"/bench \
        \( -name target -prune \) -o \( -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print \) 2>/dev/null | head -1)" ]; then
    return 0
  fi
  echo "vireo: building $module ..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -pl "$module" -am package) >&2
  # Maven leaves an unchanged jar's timestamp alone; mark it fresh so the next start does not rebuild.
  touch "$jar"
}
