package ae4j.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The NumPy element types ae4j reads, each converted to float on read; {@code descr} codes as in a .npy header. */
public enum NpyDtype {
    FLOAT32("f4", 4), FLOAT64("f8", 8), UINT8("u1", 1), INT8("i1", 1), INT16("i2", 2), INT32("i4", 4), INT64("i8", 8);

    /** The type part of a descr, without the byte-order character. */
    public final String code;
    public final int itemSize;

    NpyDtype(String code, int itemSize) {
        this.code = code;
        this.itemSize = itemSize;
    }

    /** The type and byte order of a descr such as {@code '<f4'}, {@code '>i8'} or {@code '|u1'}, or null if unsupported. */
    static Typed parse(String descr) {
        if (descr.length() != 3) {
            return null;
        }
        ByteOrder order = switch (descr.charAt(0)) {
            case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> null;
        };
        for (NpyDtype dtype : values()) {
            if (order != null && dtype.code.equals(descr.substring(1))) {
                return new Typed(dtype, order);
            }
        }
        return null;
    }

    static String supported() {
        return "float32 (<f4), float64 (<f8), uint8 (|u1), int8 (|i1), int16 (<i2), int32 (<i4), int64 (<i8), either byte order";
    }

    /** An element type with its byte order. */
    record Typed(NpyDtype dtype, ByteOrder order) {
        /**
         * Refuses a NaN or an infinity among {@code n} converted values, naming its row and column: the element with
         * index {@code firstIndex} in the file went to {@code values[offset]}, rows having {@code cols} values. Only
         * float types can hold one (a float64 beyond float32's range becomes an infinity).
         */
        void checkFinite(String source, float[] values, int offset, int n, long firstIndex, int cols) {
            if (dtype != FLOAT32 && dtype != FLOAT64) {
                return;
            }
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(values[offset + i])) {
                    long index = firstIndex + i;
                    throw new InvalidDataException(source, "row " + index / cols + ", column " + index % cols + ": "
                            + (Float.isNaN(values[offset + i]) ? "NaN" : "infinity") + (dtype == FLOAT64 && !Float.isNaN(values[offset + i])
                            ? " (or beyond float32's range)" : ""));
                }
            }
        }

        /** Converts {@code n} elements from {@code bytes} (whose order is set to {@link #order}) at byte {@code position}. */
        void toFloats(ByteBuffer bytes, int position, float[] into, int offset, int n) {
            int p = position;
            switch (dtype) {
                case FLOAT32 -> bytes.asFloatBuffer().get(position / 4, into, offset, n);
                case FLOAT64 -> {
                    for (int i = 0; i < n; i++, p += 8) {
                        into[offset + i] = (float) bytes.getDouble(p);
                    }
                }
                case UINT8 -> {
                    for (int i = 0; i < n; i++) {
                        into[offset + i] = bytes.get(p + i) & 0xFF;
                    }
                }
                case INT8 -> {
                    for (int i = 0; i < n; i++) {
                        into[offset + i] = bytes.get(p + i);
                    }
                }
                case INT16 -> {
                    for (int i = 0; i < n; i++, p += 2) {
                        into[offset + i] = bytes.getShort(p);
                    }
                }
                case INT32 -> {
                    for (int i = 0; i < n; i++, p += 4) {
                        into[offset + i] = bytes.getInt(p);
                    }
                }
                case INT64 -> {
                    for (int i = 0; i < n; i++, p += 8) {
                        into[offset + i] = bytes.getLong(p);
                    }
                }
            }
        }
    }
}
