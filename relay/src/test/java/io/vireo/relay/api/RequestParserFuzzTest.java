package io.vireo.relay.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vireo.relay.compose.ComposeException;
import io.vireo.relay.compose.MessageComposer;
import java.time.Clock;

/**
 * Fuzzes the API's request parsing with any bytes: {@link RequestParser} either returns a request
 * or throws an {@link ApiException} with a 400 (never another exception, which would be a 500),
 * and a parsed compose request either composes or is refused with a {@link ComposeException}.
 * Seeds: {@code RequestParserFuzzTestInputs/requests}.
 */
class RequestParserFuzzTest {
  private static final MessageComposer COMPOSER = new MessageComposer("relay.test", Clock.systemUTC());

  @FuzzTest(maxDuration = "2m")
  void requests(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 2);
    byte[] body = data.consumeRemainingAsBytes();
    try {
      switch (kind) {
        case 0 -> {
          SendRequest.Compose request = RequestParser.compose(body);
          try {
            assertThat(COMPOSER.compose(request.draft()).message()).isNotEmpty();
          } catch (ComposeException e) {
            assertThat(e.getMessage()).isNotBlank();
          }
        }
        case 1 -> assertThat(RequestParser.raw(body).to()).isNotEmpty();
        default -> assertThat(RequestParser.batch(body)).isNotEmpty();
      }
    } catch (ApiException e) {
      assertThat(e.error().status()).isEqualTo(400);
      assertThat(e.error().message()).isNotBlank();
    }
  }
}
