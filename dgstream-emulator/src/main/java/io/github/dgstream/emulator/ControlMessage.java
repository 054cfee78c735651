package io.github.dgstream.emulator;

/**
 * A text (control) message received by the emulator on one connection.
 *
 * @param type the JSON {@code type} field, or {@code "<unparsable>"} when the text was not a JSON object with a
 *     string {@code type}
 * @param audioSeconds audio time on this connection (seconds of audio received so far) when the message arrived
 * @param text the raw text frame
 */
public record ControlMessage(String type, double audioSeconds, String text) {
    /** The {@link #type()} used for text frames that could not be parsed. */
    public static final String UNPARSABLE = "<unparsable>";
}
