/*
 * pool.h — a fixed pool of threads for the CPU engine, and the claims by which they share a round of work.
 *
 * run(task) starts a round: the caller (thread 0) runs task(context, 0, round) at once, and every worker that is
 * awake runs task(context, k, round) too. The caller never waits for a worker to arrive: a task splits its work
 * into chunks, and each thread claims chunks (Claims) until none is left, starting with its own share, so that a
 * thread the OS has not scheduled — on a machine busy with other programs — simply does less, and the round ends
 * when its chunks are done, not when every thread has shown up. A worker that wakes after its round has ended
 * claims nothing (Claims checks the round after each claim) and goes back to waiting; a worker always runs a
 * round's task with that round's context and number (run publishes the three together), so a task whose every
 * thread must take part (units.h) runs once per thread and round.
 *
 * Made for rounds of tens of microseconds, thousands of times a second: threads are created once; every wait first
 * spins (a pause instruction a round, for SPIN_ROUNDS rounds), then parks on a condition variable, so that an idle
 * pool costs no CPU between epochs. Nothing is allocated after construction. Workers are pinned to the CPUs
 * after the caller's where the OS allows (Linux), so that a thread keeps its caches.
 * Not here: what the tasks do (engine.h).
 */
#pragma once
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ae4j {

/* The most threads an engine takes (ae4j_cpu.h clamps to it; per-thread tables are sized by it). */
constexpr int MAX_THREADS = 64;

class Pool {
  public:
    using Task = void (*)(void* context, int thread, uint64_t round);

    explicit Pool(int threads) : n_(threads < 1 ? 1 : threads) {
        for (int k = 1; k < n_; k++) workers_.emplace_back([this, k] { work(k); });
    }

    ~Pool() { stop(); }

    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    /* Ends the workers; called before whatever their tasks use goes away. */
    void stop() {
        stop_ = true;
        wake();
        for (std::thread& t : workers_)
            if (t.joinable()) t.join();
    }

    int size() const { return n_; }

    /* The current round: a task checks it to tell that the round it joined has ended. */
    uint64_t round() const { return round_; }

    /* A new round of task(context, ·, round); returns when the caller's own task(context, 0, round) returns. The
     * round number is odd while task and context are being set, even once they are the round's (see work). */
    void run(Task task, void* context) {
        ++round_;
        task_ = task;
        context_ = context;
        const uint64_t round = ++round_;
        wake();
        task(context, 0, round);
    }

    static void pause() {
#if defined(__x86_64__)
        _mm_pause();
#else
        std::this_thread::yield();
#endif
    }

    /* Waits until ready(): spins, then parks. Whoever makes ready() true calls wake(). */
    template <typename Ready>
    void await(Ready ready) {
        for (int i = 0; i < SPIN_ROUNDS; i++) {
            if (ready()) return;
            pause();
        }
        std::unique_lock<std::mutex> lock(mutex_);
        parked_++;
        wakeup_.wait(lock, ready);
        parked_--;
    }

    /* After a state change: wakes the threads that stopped spinning. Sequentially consistent atomics on both sides
     * guarantee that a thread parking now sees the change when it checks under the mutex. */
    void wake() {
        if (parked_ > 0) {
            std::lock_guard<std::mutex> lock(mutex_);
            wakeup_.notify_all();
        }
    }

  private:
    static constexpr int SPIN_ROUNDS = 20000; /* a few hundred µs: longer than a step's phase, shorter than an epoch's gaps */

    void pin(int k) {
#if defined(__linux__)
        cpu_set_t allowed;
        if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) < n_) return;
        int seen = 0;
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
            if (!CPU_ISSET(cpu, &allowed) || seen++ != k) continue;
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            pthread_setaffinity_np(pthread_self(), sizeof one, &one);
            return;
        }
#else
        (void) k;
#endif
    }

    /* A worker reads the round, its task and its context, then the round again: unchanged (and even), the three
     * are one round's — a worker delayed between the reads would otherwise run the next round's task under this
     * round's number, or run the next round twice. */
    void work(int k) {
        pin(k);
        uint64_t seen = 0;
        for (;;) {
            await([this, seen] {
                const uint64_t round = round_;
                return (round != seen && round % 2 == 0) || stop_;
            });
            if (stop_) return;
            const uint64_t round = round_;
            const Task task = task_;
            void* const context = context_;
            if (round_ != round || round % 2 != 0) continue; /* a newer round is being set: read that one */
            seen = round;
            task(context, k, round);
        }
    }

    const int n_;
    std::vector<std::thread> workers_;
    std::atomic<Task> task_{nullptr};
    std::atomic<void*> context_{nullptr};
    std::atomic<uint64_t> round_{0};
    std::atomic<bool> stop_{false};
    std::atomic<int> parked_{0};
    std::mutex mutex_;
    std::condition_variable wakeup_;
};

/* Chunks 0..count-1 of a round's work, each claimed by one thread: a chunk's stamp is the round that claimed it,
 * so nothing needs resetting between rounds. A thread of an ended round could still take a chunk that its round
 * did not use (a later round's count, read from the shared context, may be larger), so a claim counts only if its
 * round is still the pool's once taken; otherwise it is given up, its stamp older than the round now running, whose
 * threads take it as usual. Thread k of n starts at its own share (chunks [count·k/n, ...)) and then takes what the
 * others have left. */
class Claims {
  public:
    Claims(const Pool& pool, int capacity) : pool_(pool), stamps_((size_t) capacity) {
        for (auto& s : stamps_) s = 0;
    }

    /* The next chunk thread k may work on in `round`, or -1 when all are claimed or the round has ended. `cursor`
     * starts at 0. */
    int next(int k, int n, int count, uint64_t round, int& cursor) {
        const int home = (int) ((int64_t) count * k / n);
        while (cursor < count) {
            const int c = (home + cursor++) % count;
            uint64_t stamp = stamps_[c].load(std::memory_order_relaxed);
            if (stamp < round && stamps_[c].compare_exchange_strong(stamp, round)) return pool_.round() == round ? c : -1;
        }
        return -1;
    }

  private:
    const Pool& pool_;
    std::vector<std::atomic<uint64_t>> stamps_;
};

}  // namespace ae4j
