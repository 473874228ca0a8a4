package io.vireo.relay.admin;

import io.vireo.relay.json.JsonObjects;

/** The admin server's JSON bodies, written with Jackson's streaming generator. */
final class JsonBodies {
  private JsonBodies() {}

  /** {@code {"error":{"code":...,"message":...}}}: the one shape of every admin error. */
  static byte[] error(String code, String message) {
    return write(
        json -> {
          json.writeObjectFieldStart("error");
          json.writeStringField("code", code);
          json.writeStringField("message", message);
          json.writeEndObject();
        });
  }

  /** {@code {"status":"alive"}}. */
  static byte[] status(String status) {
    return write(json -> json.writeStringField("status", status));
  }

  /** {@code {"status":"ready"}}, or {@code "not_ready"} with the reasons. */
  static byte[] readiness(Readiness readiness) {
    return write(
        json -> {
          json.writeStringField("status", readiness.ready() ? "ready" : "not_ready");
          if (!readiness.ready()) {
            json.writeArrayFieldStart("reasons");
            for (String reason : readiness.reasons()) {
              json.writeString(reason);
            }
            json.writeEndArray();
          }
        });
  }

  /** {@code {"status":"reloaded","file":...,"changed":[...],"restart_required":[...]}}. */
  static byte[] reloaded(ReloadResult.Applied applied) {
    return write(
        json -> {
          json.writeStringField("status", "reloaded");
          json.writeStringField("file", applied.file());
          json.writeArrayFieldStart("changed");
          for (String key : applied.changed()) {
            json.writeString(key);
          }
          json.writeEndArray();
          json.writeArrayFieldStart("restart_required");
          for (String key : applied.restartRequired()) {
            json.writeString(key);
          }
          json.writeEndArray();
        });
  }

  /** One object holding {@code fields}, and a newline. */
  static byte[] write(JsonObjects.Fields fields) {
    return JsonObjects.line(fields);
  }
}
