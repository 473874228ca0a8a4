package io.vireo.relay.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test of a class a {@link RedisServer} parameter: a private redis-server started before
 * the test on a free loopback port, and killed after it, passed or failed, with its directory
 * removed. Without redis-server installed the test is skipped (failed in CI).
 *
 * <pre>{@code
 * @ExtendWith(RedisServerExtension.class)
 * class SharedLimitsTest {
 *   @Test
 *   void something(RedisServer redis) { ... redis.endpoint() ... }
 * }
 * }</pre>
 */
public final class RedisServerExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisServerExtension.class);

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    Path dir = Files.createTempDirectory("vireo-redis-");
    context.getStore(NAMESPACE).put(Path.class, dir);
    context.getStore(NAMESPACE).put(RedisServer.class, RedisServer.start(dir));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RedisServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).get(RedisServer.class, RedisServer.class);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    RedisServer server = context.getStore(NAMESPACE).remove(RedisServer.class, RedisServer.class);
    if (server != null) {
      server.close();
    }
    Path dir = context.getStore(NAMESPACE).remove(Path.class, Path.class);
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }
}
