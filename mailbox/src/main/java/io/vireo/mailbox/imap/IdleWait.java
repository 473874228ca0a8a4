package io.vireo.mailbox.imap;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One IDLE command (RFC 2177): the session thread waits for either a change of the selected folder
 * (pushed at once as EXISTS, EXPUNGE or FETCH) or the client's DONE, which a short-lived virtual
 * thread reads. Only the session thread writes.
 */
final class IdleWait {
  private static final Object CHANGED = new Object();

  private final SessionState session;

  IdleWait(SessionState session) {
    this.session = session;
  }

  private record Line(String text) {}

  void run(String tag) throws IOException, InterruptedException {
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    SelectedMailbox selected = session.selected;
    if (selected != null) {
      selected.onChange(() -> events.offer(CHANGED));
    }
    session.out.text("+ idling").crlf();
    ImapSession.updateSelected(session, true);
    session.out.flush();
    Thread reader =
        Thread.ofVirtual()
            .name("imap-idle-reader")
            .start(
                () -> {
                  try {
                    events.offer(new Line(session.in.textLine()));
                  } catch (IOException e) {
                    events.offer(e);
                  }
                });
    try {
      while (true) {
        Object event = events.take();
        if (event == CHANGED) {
          ImapSession.updateSelected(session, true);
          session.out.flush();
        } else if (event instanceof IOException failure) {
          throw failure;
        } else if (event instanceof Line line) {
          if (line.text() != null && line.text().equalsIgnoreCase("DONE")) {
            session.out.tagged(tag, "OK IDLE terminated");
          } else {
            session.out.tagged(tag, "BAD Expected DONE");
          }
          return;
        }
      }
    } finally {
      if (selected != null) {
        selected.onChange(() -> {});
      }
      reader.join(java.time.Duration.ofSeconds(1));
    }
  }
}
