/**
 * JSON written the one way the relay writes it: a streaming generator into memory, one object per
 * body or journal line. Depends on nothing in the relay.
 */
package io.vireo.relay.json;
