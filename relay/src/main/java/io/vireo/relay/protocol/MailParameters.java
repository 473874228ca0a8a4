package io.vireo.relay.protocol;

import io.vireo.queue.BodyType;
import io.vireo.queue.Ret;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The ESMTP parameters of MAIL FROM that this server understands.
 *
 * @param size SIZE= (RFC 1870): the client's estimate in octets, if given
 * @param body BODY= (RFC 6152, RFC 3030); 7BIT when absent, as RFC 6152 section 3 says
 * @param smtpUtf8 SMTPUTF8 (RFC 6531 section 3.4): the transaction may use UTF-8 addresses and
 *     headers
 * @param ret RET= (RFC 3461 section 4.3); UNSPECIFIED when absent
 * @param envelopeId ENVID= (RFC 3461 section 4.4) in its xtext form, if given
 */
public record MailParameters(
    OptionalLong size, BodyType body, boolean smtpUtf8, Ret ret, Optional<String> envelopeId) {
  public static final MailParameters NONE =
      new MailParameters(
          OptionalLong.empty(), BodyType.SEVEN_BIT, false, Ret.UNSPECIFIED, Optional.empty());

  public MailParameters {
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(ret, "ret");
    Objects.requireNonNull(envelopeId, "envelopeId");
  }
}
