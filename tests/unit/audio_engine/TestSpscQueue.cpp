// core::SpscQueue: FIFO order, capacity, full/empty behaviour, move-only values, and a
// two-thread stress run in which every value arrives exactly once and in order.
#include <QtTest>

#include <memory>
#include <thread>

#include "core/SpscQueue.h"

using toccata::core::SpscQueue;

class TestSpscQueue : public QObject {
    Q_OBJECT
private slots:
    void fifoOrderAndCapacity() {
        SpscQueue<int> queue(5);
        QCOMPARE(queue.capacity(), size_t(8));  // rounded up to 2^n
        QVERIFY(queue.empty());
        QVERIFY(!queue.pop().has_value());
        for (int i = 0; i < 8; ++i) QVERIFY(queue.push(i));
        QVERIFY(!queue.push(99));  // full
        QCOMPARE(queue.size(), size_t(8));
        for (int i = 0; i < 8; ++i) QCOMPARE(*queue.pop(), i);
        QVERIFY(!queue.pop().has_value());
        // Wrap around many times.
        for (int round = 0; round < 100; ++round) {
            QVERIFY(queue.push(round));
            QVERIFY(queue.push(round + 1000));
            QCOMPARE(*queue.pop(), round);
            QCOMPARE(*queue.pop(), round + 1000);
        }
    }

    void tinyCapacityIsTwo() {
        SpscQueue<int> queue(0);
        QCOMPARE(queue.capacity(), size_t(2));
    }

    void moveOnlyValuesAndOwnership() {
        SpscQueue<std::unique_ptr<int>> queue(4);
        QVERIFY(queue.push(std::make_unique<int>(7)));
        auto shared = std::make_shared<int>(3);
        SpscQueue<std::shared_ptr<int>> sharedQueue(2);
        QVERIFY(sharedQueue.push(shared));
        QCOMPARE(shared.use_count(), 2L);
        std::optional<std::shared_ptr<int>> out = sharedQueue.pop();
        QVERIFY(out.has_value());
        out.reset();
        QCOMPARE(shared.use_count(), 1L);  // the slot does not keep a reference
        QCOMPARE(**queue.pop(), 7);
    }

    void twoThreadStress() {
        constexpr int kCount = 1'000'000;
        SpscQueue<int> queue(64);
        std::thread producer([&] {
            for (int i = 0; i < kCount;)
                if (queue.push(i)) ++i;
        });
        int expected = 0;
        bool inOrder = true;
        while (expected < kCount) {
            if (std::optional<int> v = queue.pop()) {
                inOrder = inOrder && *v == expected;
                ++expected;
            }
        }
        producer.join();
        QVERIFY(inOrder);
        QVERIFY(queue.empty());
    }
};

QTEST_APPLESS_MAIN(TestSpscQueue)
#include "TestSpscQueue.moc"
