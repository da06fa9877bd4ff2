package dev.cairn.span;

/** The type of an attribute value: the four scalar types of OpenTelemetry and arrays of them. */
public enum AttributeType {
  /** A {@link String}. */
  STRING,
  /** A {@code long}, returned as {@link Long}. */
  LONG,
  /** A {@code double}, returned as {@link Double}. */
  DOUBLE,
  /** A {@code boolean}, returned as {@link Boolean}. */
  BOOLEAN,
  /** An array of strings, returned as an unmodifiable {@code List<String>}. */
  STRING_ARRAY,
  /** An array of longs, returned as an unmodifiable {@code List<Long>}. */
  LONG_ARRAY,
  /** An array of doubles, returned as an unmodifiable {@code List<Double>}. */
  DOUBLE_ARRAY,
  /** An array of booleans, returned as an unmodifiable {@code List<Boolean>}. */
  BOOLEAN_ARRAY
}
