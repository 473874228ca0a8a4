package io.vireo.relay.app;

import io.vireo.relay.compose.ComposeException;
import io.vireo.relay.compose.Draft;
import io.vireo.relay.compose.MessageComposer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vireo send}: a user agent for scripts and for testing a deployment. Composes the message
 * with the API's own {@link MessageComposer} and submits it over SMTP ({@code --smtp}) or through
 * the HTTP API ({@code --api}, which composes the same message from the same fields). Prints the
 * queue id (API) or the server's final reply (SMTP).
 */
@Command(name = "send", description = "Compose a message and submit it over SMTP or the HTTP API.")
final class SendCommand implements Callable<Integer> {
  @Option(names = "--from", required = true, description = "From mailbox (envelope sender too).")
  String from;

  @Option(names = "--to", arity = "1..*", description = "To recipient; repeatable.")
  List<String> to = List.of();

  @Option(names = "--cc", arity = "1..*", description = "Cc recipient; repeatable.")
  List<String> cc = List.of();

  @Option(names = "--bcc", arity = "1..*", description = "Bcc recipient (no header); repeatable.")
  List<String> bcc = List.of();

  @Option(names = "--reply-to", description = "Reply-To mailbox.")
  String replyTo;

  @Option(names = "--subject", defaultValue = "", description = "Subject (may be non-ASCII).")
  String subject;

  @Option(names = "--text", paramLabel = "FILE|-", description = "Plain-text body from FILE, or - for standard input.")
  String text;

  @Option(names = "--html", paramLabel = "FILE", description = "HTML body from FILE.")
  Path html;

  @Option(names = "--attach", paramLabel = "FILE", arity = "1..*", description = "Attach FILE; repeatable.")
  List<Path> attachments = List.of();

  @Option(names = "--header", paramLabel = "NAME:VALUE", description = "Extra header; repeatable.")
  List<String> headers = List.of();

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--smtp", paramLabel = "HOST:PORT", description = "Submit over SMTP to this server.")
    String smtp;

    @Option(names = "--api", paramLabel = "URL", description = "Submit through the HTTP API at URL (e.g. http://127.0.0.1:8480).")
    String api;
  }

  @Option(names = "--starttls", description = "SMTP: require STARTTLS.")
  boolean starttls;

  @Option(names = "--user", description = "SMTP: AUTH as this user; the password is read from --password-file.")
  String user;

  @Option(names = "--password-file", paramLabel = "FILE", description = "SMTP: file holding the password.")
  Path passwordFile;

  @Option(names = "--key-file", paramLabel = "FILE", description = "API: file holding the API key.")
  Path keyFile;

  @Option(names = "--hostname", defaultValue = "localhost", description = "Right-hand side of the Message-ID.")
  String hostname;

  @Override
  public Integer call() {
    try {
      Draft draft = draft();
      String result =
          target.smtp != null
              ? SmtpSubmission.send(
                  new MessageComposer(hostname, Clock.systemUTC()).compose(draft),
                  target.smtp,
                  starttls,
                  Optional.ofNullable(user),
                  password())
              : ApiSubmission.send(draft, target.api, key());
      System.out.println(result);
      return 0;
    } catch (ComposeException | IllegalArgumentException e) {
      System.err.println("vireo send: " + e.getMessage());
    } catch (IOException e) {
      System.err.println("vireo send: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("vireo send: interrupted");
    }
    return 1;
  }

  private Draft draft() throws IOException {
    Map<String, String> extra = new LinkedHashMap<>();
    for (String header : headers) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("--header needs NAME:VALUE, got " + header);
      }
      extra.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
    }
    List<Draft.Attachment> files = new java.util.ArrayList<>();
    for (Path file : attachments) {
      String type = Optional.ofNullable(Files.probeContentType(file)).orElse("application/octet-stream");
      files.add(new Draft.Attachment(file.getFileName().toString(), type, Files.readAllBytes(file)));
    }
    Optional<String> body =
        text == null
            ? Optional.empty()
            : Optional.of(
                text.equals("-")
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(text)));
    return new Draft(
        from,
        to,
        cc,
        bcc,
        Optional.ofNullable(replyTo),
        subject,
        body,
        html == null ? Optional.empty() : Optional.of(Files.readString(html)),
        files,
        extra);
  }

  private Optional<String> password() throws IOException {
    if (user == null) {
      return Optional.empty();
    }
    if (passwordFile == null) {
      throw new IllegalArgumentException("--user needs --password-file");
    }
    return Optional.of(Files.readString(passwordFile).strip());
  }

  private String key() throws IOException {
    if (keyFile == null) {
      throw new IllegalArgumentException("--api needs --key-file");
    }
    return Files.readString(keyFile).strip();
  }
}
