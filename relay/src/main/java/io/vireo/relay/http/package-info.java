/**
 * Helpers for the relay's embedded JDK HTTP servers (admin, send API). Depends on nothing in the
 * relay.
 */
package io.vireo.relay.http;
