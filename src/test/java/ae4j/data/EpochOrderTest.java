package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import ae4j.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EpochOrderTest {
    @Test
    void eachEpochIsAPermutationReshuffledInPlace() {
        EpochOrder order = new EpochOrder(1000, new Rng(42));
        int[] first = order.next();
        int[] firstCopy = first.clone();
        int[] second = order.next();
        assertSame(first, second, "no new array per epoch");
        assertFalse(Arrays.equals(firstCopy, second), "a new order each epoch");
        int[] sorted = second.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void sameSeedSameOrder() {
        EpochOrder a = new EpochOrder(100, new Rng(3));
        EpochOrder b = new EpochOrder(100, new Rng(3));
        a.next();
        b.next();
        assertArrayEquals(a.next(), b.next());
    }

    @Test
    void orderDependsOnTheGeneratorStateAlone() {
        Rng rng = new Rng(8);
        EpochOrder order = new EpochOrder(50, rng);
        order.next();
        long state = rng.state();
        int[] expected = order.next().clone();
        assertArrayEquals(expected, new EpochOrder(50, new Rng(state)).next(), "a resumed run replays the epoch");
    }

    @Test
    void batchCountIncludesTheShortLastBatch() {
        assertEquals(1719, EpochOrder.batchCount(55_000, 32));
        assertEquals(2, EpochOrder.batchCount(60, 32));
        assertEquals(1, EpochOrder.batchCount(32, 32));
    }
}
