package dev.runa.clip.checkpoint;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle virtual machine that can only build plain data: dicts, lists, tuples, strings,
 * numbers, booleans, {@code None}, and the results of the few callables the caller allows.
 *
 * <p>Pickle is a program, not a data format: a stock unpickler imports and calls whatever the
 * file names ({@code os.system} included). Here every {@code GLOBAL}/{@code STACK_GLOBAL} is
 * checked against an allow-list before anything else happens, and calling a global
 * ({@code REDUCE}) is delegated to a {@link Reducer} that knows what each allowed name means.
 * Opcodes outside the subset that {@code torch.save} emits are refused. Opcode semantics follow
 * CPython's {@code Lib/pickle.py} and {@code Lib/pickletools.py}.
 */
final class RestrictedUnpickler {

    /** A reference to {@code module.name}, already allowed. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A Python tuple (items may be {@code null} for {@code None}). */
    record Tuple(List<Object> items) {
        Object get(int i) {
            return items.get(i);
        }

        int size() {
            return items.size();
        }
    }

    /** Turns a persistent id (from {@code BINPERSID}) into an object. */
    interface PersistentLoader {
        Object load(Tuple pid);
    }

    /** Calls an allowed global with its arguments ({@code REDUCE}). */
    interface Reducer {
        Object call(Global callable, Tuple args);
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final String source;
    private final Set<String> allowedGlobals;
    private final PersistentLoader persistentLoader;
    private final Reducer reducer;

    RestrictedUnpickler(String source, Set<String> allowedGlobals, PersistentLoader persistentLoader, Reducer reducer) {
        this.source = source;
        this.allowedGlobals = Set.copyOf(allowedGlobals);
        this.persistentLoader = persistentLoader;
        this.reducer = reducer;
    }

    /** Runs the pickle program and returns the object {@code STOP} leaves on the stack. */
    Object load(byte[] program) {
        ByteBuffer in = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        List<Object> stack = new ArrayList<>();
        List<Integer> marks = new ArrayList<>();
        Map<Long, Object> memo = new HashMap<>();
        try {
            while (true) {
                if (!in.hasRemaining()) {
                    throw fail(in.position(), "pickle ends without STOP (truncated?)");
                }
                int pos = in.position();
                int op = in.get() & 0xFF;
                switch (op) {
                    case 0x80 -> { // PROTO
                        int proto = in.get() & 0xFF;
                        if (proto > 5) {
                            throw fail(pos, "unsupported pickle protocol " + proto);
                        }
                    }
                    case 0x95 -> in.getLong(); // FRAME: a length hint only
                    case '.' -> { // STOP
                        if (stack.size() != 1 || !marks.isEmpty()) {
                            throw fail(pos, "STOP with " + stack.size() + " objects on the stack");
                        }
                        return stack.get(0);
                    }
                    case '(' -> marks.add(stack.size()); // MARK
                    case '}' -> stack.add(new LinkedHashMap<>()); // EMPTY_DICT
                    case ']' -> stack.add(new ArrayList<>()); // EMPTY_LIST
                    case ')' -> stack.add(new Tuple(List.of())); // EMPTY_TUPLE
                    case 'd' -> { // DICT
                        List<Object> items = popMark(stack, marks, pos);
                        Map<Object, Object> d = new LinkedHashMap<>();
                        putPairs(d, items, pos);
                        stack.add(d);
                    }
                    case 'l' -> stack.add(new ArrayList<>(popMark(stack, marks, pos))); // LIST
                    case 't' -> stack.add(tuple(popMark(stack, marks, pos))); // TUPLE
                    case 0x85 -> stack.add(tuple(popN(stack, 1, pos))); // TUPLE1
                    case 0x86 -> stack.add(tuple(popN(stack, 2, pos))); // TUPLE2
                    case 0x87 -> stack.add(tuple(popN(stack, 3, pos))); // TUPLE3
                    case 'X' -> stack.add(utf8(in, in.getInt() & 0xFFFFFFFFL, pos)); // BINUNICODE
                    case 0x8c -> stack.add(utf8(in, in.get() & 0xFF, pos)); // SHORT_BINUNICODE
                    case 0x8d -> stack.add(utf8(in, in.getLong(), pos)); // BINUNICODE8
                    case 'B' -> stack.add(bytes(in, in.getInt() & 0xFFFFFFFFL, pos)); // BINBYTES
                    case 'C' -> stack.add(bytes(in, in.get() & 0xFF, pos)); // SHORT_BINBYTES
                    case 'J' -> stack.add((long) in.getInt()); // BININT
                    case 'K' -> stack.add((long) (in.get() & 0xFF)); // BININT1
                    case 'M' -> stack.add((long) (in.getShort() & 0xFFFF)); // BININT2
                    case 0x8a -> stack.add(long1(in, pos)); // LONG1
                    case 'G' ->
                        stack.add(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT: big-endian
                    case 'N' -> stack.add(null); // NONE
                    case 0x88 -> stack.add(Boolean.TRUE); // NEWTRUE
                    case 0x89 -> stack.add(Boolean.FALSE); // NEWFALSE
                    case 'q' -> memo.put((long) (in.get() & 0xFF), top(stack, pos)); // BINPUT
                    case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, top(stack, pos)); // LONG_BINPUT
                    case 0x94 -> memo.put((long) memo.size(), top(stack, pos)); // MEMOIZE
                    case 'h' -> stack.add(memoGet(memo, in.get() & 0xFF, pos)); // BINGET
                    case 'j' -> stack.add(memoGet(memo, in.getInt() & 0xFFFFFFFFL, pos)); // LONG_BINGET
                    case '0' -> popN(stack, 1, pos); // POP
                    case '1' -> popMark(stack, marks, pos); // POP_MARK
                    case '2' -> stack.add(top(stack, pos)); // DUP
                    case 's' -> { // SETITEM
                        List<Object> kv = popN(stack, 2, pos);
                        asDict(top(stack, pos), pos).put(kv.get(0), kv.get(1));
                    }
                    case 'u' -> { // SETITEMS
                        List<Object> items = popMark(stack, marks, pos);
                        putPairs(asDict(top(stack, pos), pos), items, pos);
                    }
                    case 'a' ->
                        asList(top(stack, pos), pos).add(popN(stack, 1, pos).get(0)); // APPEND
                    case 'e' -> { // APPENDS
                        List<Object> items = popMark(stack, marks, pos);
                        asList(top(stack, pos), pos).addAll(items);
                    }
                    case 'c' -> { // GLOBAL: "module\nname\n"
                        String module = line(in, pos);
                        String name = line(in, pos);
                        stack.add(global(module, name, pos));
                    }
                    case 0x93 -> { // STACK_GLOBAL
                        List<Object> mn = popN(stack, 2, pos);
                        if (!(mn.get(0) instanceof String module) || !(mn.get(1) instanceof String name)) {
                            throw fail(pos, "STACK_GLOBAL needs two strings");
                        }
                        stack.add(global(module, name, pos));
                    }
                    case 'R' -> { // REDUCE
                        List<Object> fa = popN(stack, 2, pos);
                        if (!(fa.get(0) instanceof Global g)) {
                            throw fail(pos, "REDUCE on a non-callable " + describe(fa.get(0)));
                        }
                        if (!(fa.get(1) instanceof Tuple args)) {
                            throw fail(pos, "REDUCE arguments are not a tuple");
                        }
                        stack.add(reducer.call(g, args));
                    }
                    case 'b' -> { // BUILD: set state on the object below; plain data ignores it
                        popN(stack, 1, pos);
                        Object target = top(stack, pos);
                        if (target instanceof Global || target instanceof Tuple) {
                            throw fail(pos, "BUILD on " + describe(target));
                        }
                    }
                    case 'Q' -> { // BINPERSID
                        Object pid = popN(stack, 1, pos).get(0);
                        if (!(pid instanceof Tuple t)) {
                            throw fail(pos, "persistent id is not a tuple");
                        }
                        stack.add(persistentLoader.load(t));
                    }
                    default -> throw fail(pos, String.format("unsupported pickle opcode 0x%02x", op));
                }
            }
        } catch (BufferUnderflowException e) {
            throw fail(in.position(), "pickle ends in the middle of an instruction (truncated?)");
        }
    }

    private Global global(String module, String name, int pos) {
        String q = module + "." + name;
        if (!allowedGlobals.contains(q)) {
            throw new CheckpointException(source + ": refusing to load: pickle references global " + q + " (byte " + pos
                    + "); only tensor data is allowed");
        }
        return new Global(module, name);
    }

    private static Tuple tuple(List<Object> items) {
        return new Tuple(Collections.unmodifiableList(new ArrayList<>(items)));
    }

    private List<Object> popMark(List<Object> stack, List<Integer> marks, int pos) {
        if (marks.isEmpty()) {
            throw fail(pos, "no MARK on the stack");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private List<Object> popN(List<Object> stack, int n, int pos) {
        if (stack.size() < n) {
            throw fail(pos, "stack underflow");
        }
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return items;
    }

    private Object top(List<Object> stack, int pos) {
        if (stack.isEmpty()) {
            throw fail(pos, "stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private Object memoGet(Map<Long, Object> memo, long key, int pos) {
        if (!memo.containsKey(key)) {
            throw fail(pos, "memo key " + key + " was never stored");
        }
        return memo.get(key);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asDict(Object o, int pos) {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw fail(pos, "SETITEM(S) on " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o, int pos) {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw fail(pos, "APPEND(S) on " + describe(o));
    }

    private void putPairs(Map<Object, Object> d, List<Object> items, int pos) {
        if (items.size() % 2 != 0) {
            throw fail(pos, "odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            Object k = items.get(i);
            if (k instanceof Map || k instanceof List) {
                throw fail(pos, "unhashable dict key " + describe(k));
            }
            d.put(k, items.get(i + 1));
        }
    }

    private String utf8(ByteBuffer in, long len, int pos) {
        return new String(bytes(in, len, pos), StandardCharsets.UTF_8);
    }

    private byte[] bytes(ByteBuffer in, long len, int pos) {
        if (len < 0 || len > in.remaining()) {
            throw fail(pos, "string of " + len + " bytes runs past the end of the pickle (truncated?)");
        }
        byte[] b = new byte[(int) len];
        in.get(b);
        return b;
    }

    private Object long1(ByteBuffer in, int pos) {
        int n = in.get() & 0xFF;
        byte[] le = bytes(in, n, pos);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger v = new BigInteger(be); // two's complement, as pickle's LONG1
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String line(ByteBuffer in, int pos) {
        int start = in.position();
        while (in.hasRemaining()) {
            if (in.get() == '\n') {
                byte[] b = new byte[in.position() - 1 - start];
                in.get(start, b);
                return new String(b, StandardCharsets.US_ASCII);
            }
        }
        throw fail(pos, "GLOBAL name runs past the end of the pickle (truncated?)");
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private CheckpointException fail(int pos, String problem) {
        return new CheckpointException(source + ": " + problem + " (pickle byte " + pos + ")");
    }
}
