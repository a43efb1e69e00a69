// mailbox.hpp: an actor's queue of incoming messages and signals.
//
// Many producers on any thread, one consumer (the owning actor). Two parts:
//  - the inbox, a lock-free LIFO stack: a push is one CAS on one word; the owner
//    takes everything at once with one exchange and reverses it into arrival order.
//    The same word says whether the owner is waiting (BLOCKED: the producer whose
//    push ends the wait must wake it, so exactly one does) or gone (CLOSED: the
//    push fails and the sender knows the receiver is dead);
//  - the queue, owned by the consumer alone: messages in arrival order, where a
//    selective receive scans with a predicate, takes the first match and leaves
//    the rest in order. A scan that found nothing resumes after the last message it
//    saw, so waiting for one rare message costs O(new messages) per wake-up.
// The owner sees every arrival when it takes the inbox and may handle signals
// there, before appending messages: signals never wait behind a long queue.
// Generic over the node type (it needs a `Node* next`); it knows nothing of what
// a message holds, and never allocates.
//
// The wake-up protocol on the inbox word (the one place an owner's wait and a
// producer's push meet):
//  - push: CAS from the current top to the node, release: the node's contents
//    are visible to whoever takes it. If the top it replaced was BLOCKED, this
//    push ended the wait and only this producer knows it: it must wake the owner.
//  - try_block: CAS from empty to BLOCKED, acq_rel: it fails if anything was
//    pushed since the owner last took the inbox, so the owner never waits with
//    messages in its inbox, and never waits unseen (exactly one push sees BLOCKED).
//  - take_arrivals: exchange with empty, acquire: pairs with the pushes' release.
//  - close: exchange with CLOSED, acq_rel: later pushes fail and keep their node.
//  - count_ is a size (relaxed): a hint for the observer, and the mailbox
//    limit's test (runtime_options::max_mailbox), which may let a few messages
//    past the limit when senders race; nothing else is decided by it.
#pragma once
#include <atomic>
#include <cstdint>

namespace weft {

template <class Node>
class mailbox {
public:
    enum class push_result { queued, woke_owner, closed };

    mailbox() = default;
    mailbox(const mailbox&) = delete;
    mailbox& operator=(const mailbox&) = delete;

    // Any thread. On woke_owner the caller must make the owner runnable; on closed
    // the node was not taken and still belongs to the caller.
    // `counted`: the node is a message that size() counts; a signal is not
    // (the owner counts it with count_one() if it turns it into a message).
    push_result push(Node* node, bool counted = true) noexcept {
        if (counted) count_.fetch_add(1, std::memory_order_relaxed);  // before it can be taken
        Node* head = inbox_.load(std::memory_order_relaxed);
        for (;;) {
            if (head == closed_tag()) {
                if (counted) count_.fetch_sub(1, std::memory_order_relaxed);
                return push_result::closed;
            }
            node->next = head == blocked_tag() ? nullptr : head;
            if (inbox_.compare_exchange_weak(head, node, std::memory_order_release, std::memory_order_relaxed))
                return head == blocked_tag() ? push_result::woke_owner : push_result::queued;
        }
    }

    // Messages queued or in flight (not signals). Any thread; exact when the
    // owner is not running.
    std::int64_t size() const noexcept { return count_.load(std::memory_order_relaxed); }

    // ---- owner only ----

    // Everything pushed since the last call, oldest first, as a chain through `next`.
    Node* take_arrivals() noexcept {
        if (inbox_.load(std::memory_order_relaxed) == nullptr) return nullptr;
        Node* lifo = inbox_.exchange(nullptr, std::memory_order_acquire);
        return reverse(lifo);
    }

    // Appends one arrival to the queue (after the owner decided it is a message).
    void append(Node* node) noexcept {
        node->next = nullptr;
        if (tail_) tail_->next = node;
        else head_ = node;
        tail_ = node;
    }

    // The owner dropped a counted arrival without appending it.
    void consumed() noexcept { count_.fetch_sub(1, std::memory_order_relaxed); }
    // The owner made an uncounted arrival (a signal) a message it appends.
    void count_one() noexcept { count_.fetch_add(1, std::memory_order_relaxed); }

    // Takes the first queued message the predicate accepts, or returns nullptr
    // having scanned every queued message. Successive calls without a match in
    // between continue where the last one stopped; begin_scan() starts over.
    template <class Pred>
    Node* scan(Pred&& accept) {
        Node* prev = scan_prev_;
        Node* node = prev ? prev->next : head_;
        for (; node; prev = node, node = node->next) {
            if (accept(*node)) {
                unlink(prev, node);
                return node;
            }
        }
        scan_prev_ = prev;
        return nullptr;
    }
    void begin_scan() noexcept { scan_prev_ = nullptr; }

    // The receive marker (OTP's): set_mark() remembers where the queue ends
    // now; begin_scan_at_mark() starts a scan after that point, for a receive
    // that can only take messages newer than the mark (a reply carrying a ref
    // made when the mark was set). Taking the marked message moves the mark to
    // the one before it, so the mark stays valid in O(1) and never skips a
    // message queued after it was set.
    void set_mark() noexcept { mark_ = tail_; }
    void begin_scan_at_mark() noexcept { scan_prev_ = mark_; }

    // The same scan, one message at a time, for a consumer that decides
    // between looking and taking (a script's receive runs guard code there):
    // peek() is the first queued message this scan has not passed yet (nullptr
    // when it has seen them all; later arrivals show up here), skip() passes
    // it, take_peeked() takes it and ends the scan.
    Node* peek() const noexcept { return scan_prev_ ? scan_prev_->next : head_; }
    void skip() noexcept { scan_prev_ = peek(); }  // precondition: peek() != nullptr
    Node* take_peeked() noexcept {
        Node* node = peek();
        unlink(scan_prev_, node);
        return node;
    }

    // Takes the oldest queued message, or nullptr.
    Node* pop() noexcept {
        Node* node = head_;
        if (node) unlink(nullptr, node);
        return node;
    }

    // Declares the owner waiting. False when something arrived meanwhile: take the
    // arrivals and look again. After true the owner must not touch the mailbox until
    // a producer's push returned woke_owner and made it runnable again.
    bool try_block() noexcept {
        Node* expected = nullptr;
        return inbox_.compare_exchange_strong(expected, blocked_tag(), std::memory_order_acq_rel,
                                              std::memory_order_relaxed);
    }

    // Ends the mailbox: later pushes fail. Returns the arrivals not yet taken, oldest
    // first; the queued messages stay for drain_queue().
    Node* close() noexcept {
        Node* lifo = inbox_.exchange(closed_tag(), std::memory_order_acq_rel);
        if (lifo == blocked_tag()) return nullptr;
        return reverse(lifo);
    }

    // Calls f(node) on the queued messages, oldest first, while f returns
    // true. Owner only: the queue is the owner's alone (another thread that
    // wants a look must ask the owner to take it).
    template <class F>
    void for_each_queued(F&& f) const {
        for (const Node* n = head_; n; n = n->next)
            if (!f(*n)) return;
    }

    // Removes and returns every queued message as a chain, oldest first.
    Node* drain_queue() noexcept {
        Node* all = head_;
        for (Node* n = all; n; n = n->next) consumed();
        head_ = tail_ = scan_prev_ = mark_ = nullptr;
        return all;
    }

    bool closed() const noexcept { return inbox_.load(std::memory_order_acquire) == closed_tag(); }

private:
    static Node* blocked_tag() noexcept { return reinterpret_cast<Node*>(std::uintptr_t{1}); }
    static Node* closed_tag() noexcept { return reinterpret_cast<Node*>(std::uintptr_t{2}); }

    static Node* reverse(Node* lifo) noexcept {
        if (lifo == nullptr || lifo == blocked_tag() || lifo == closed_tag()) return nullptr;
        Node* fifo = nullptr;
        while (lifo) {
            Node* next = lifo->next;
            lifo->next = fifo;
            fifo = lifo;
            lifo = next;
        }
        return fifo;
    }

    void unlink(Node* prev, Node* node) noexcept {
        if (prev) prev->next = node->next;
        else head_ = node->next;
        if (tail_ == node) tail_ = prev;
        if (mark_ == node) mark_ = prev;
        node->next = nullptr;
        scan_prev_ = nullptr;  // a completed receive: the next one starts from the oldest
        consumed();
    }

    // Kept compact rather than padded to cache lines: a million idle actors each
    // own one, and the owner touches the inbox word on every batch anyway.
    std::atomic<Node*> inbox_{nullptr};
    std::atomic<std::int64_t> count_{0};
    Node* head_ = nullptr;       // the owner's queue, oldest first
    Node* tail_ = nullptr;
    Node* scan_prev_ = nullptr;  // last message a match-less scan looked at
    Node* mark_ = nullptr;       // the receive marker: scans may start after it (null: at the head)
};

}  // namespace weft
