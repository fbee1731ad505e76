// IAP session machine: the draft's phases (3.1-3.4), TLS hand-off, pairing with
// latency, refusals, proxy loops, version mismatch and out-of-phase messages.
#include <gtest/gtest.h>

#include "common/protocol.hpp"
#include "common/pending.hpp"
#include "iap/session.hpp"
#include "iap_test_util.hpp"
#include "../support/test_times.hpp"

using namespace quartet;
using namespace iap_test;

namespace {

constexpr Direction kUp = Direction::ToServer;  // from the TCP connection initiator
constexpr Direction kDown = Direction::ToClient;
using quartet::test::kMs;

struct Driver {
  std::unique_ptr<Session> s = quartet::iap::protocol().new_session();
  uint64_t index = 0;
  MessageRecord feed(Direction dir, std::string_view msg, TimeNs ts) { return s->on_pdu(dir, bytes(msg), ts, index++); }
};

bool has_event(const Transition& t, EventKind k, std::string_view part) {
  for (const auto& e : t.events)
    if (e.kind == k && e.text.find(part) != std::string::npos) return true;
  return false;
}

const std::string kContent =
    "Content-Type: application/x-idef-alert\r\nContent-Length: 64\r\n" + alert64() + "\r\n\r\n";

TEST(IapSession, DraftTranscriptWalksAllPhases) {
  Driver d;
  EXPECT_EQ(d.s->state(), "tcp-setup");
  auto c = d.feed(kUp, "IAP/0.3 CONNECT M.DOM.ORG\r\nIAP/0.3 Via: P.DOM.ORG\r\n\r\n", 0);
  EXPECT_TRUE(c.transition.problems.empty());
  EXPECT_TRUE(has_event(c.transition, EventKind::Info, "relayed via 1 proxy: P.DOM.ORG"));

  auto ok = d.feed(kDown, "IAP/0.3 200\r\nIAP/0.3 Via: P.DOM.ORG\r\n\r\n", 12 * kMs);
  EXPECT_EQ(ok.transition.response_to, 0u);
  EXPECT_EQ(ok.transition.latency, 12 * kMs);
  EXPECT_TRUE(has_event(ok.transition, EventKind::Phase, "security-setup"));
  EXPECT_EQ(d.s->state(), "security-setup");

  auto up = d.feed(kUp, "IAP/0.3 Upgrade: TLS/1.0\r\n\r\n", 13 * kMs);
  EXPECT_TRUE(up.transition.problems.empty());
  EXPECT_FALSE(up.transition.tls_follows);

  auto sw = d.feed(kDown, "IAP/0.3 101\r\n\r\n", 20 * kMs);
  EXPECT_EQ(sw.decoded.summary, "101 Switching to TLS");
  EXPECT_EQ(sw.transition.response_to, 2u);
  EXPECT_EQ(sw.transition.latency, 7 * kMs);
  EXPECT_TRUE(sw.transition.tls_follows);
  EXPECT_TRUE(has_event(sw.transition, EventKind::TlsHandoff, "TLS"));
  EXPECT_TRUE(has_event(sw.transition, EventKind::Phase, "tls"));
  EXPECT_EQ(d.s->state(), "tls");

  // The caller now feeds decrypted payload.
  auto cs = d.feed(kUp, "IAP/0.3 IAP-Version: 0.3\r\nIAP/0.3 IAP-Role: Sender\r\n\r\n", 50 * kMs);
  EXPECT_TRUE(cs.transition.problems.empty());
  EXPECT_TRUE(has_event(cs.transition, EventKind::Phase, "channel-setup"));
  auto cok = d.feed(kDown, "IAP/0.3 200\r\n\r\n", 51 * kMs);
  EXPECT_EQ(cok.transition.response_to, 4u);
  EXPECT_EQ(cok.transition.latency, 1 * kMs);
  EXPECT_TRUE(has_event(cok.transition, EventKind::Phase, "data"));
  EXPECT_EQ(d.s->state(), "data");

  auto alert = d.feed(kUp, kContent, 60 * kMs);
  EXPECT_TRUE(alert.transition.problems.empty());
  EXPECT_EQ(alert.decoded.summary, "Alert application/x-idef-alert 64 bytes");
  auto aok = d.feed(kDown, "IAP/0.3 200\r\n\r\n", 63 * kMs);
  EXPECT_EQ(aok.transition.response_to, 6u);
  EXPECT_EQ(aok.transition.latency, 3 * kMs);
  EXPECT_TRUE(aok.transition.events.empty());
  EXPECT_TRUE(d.s->on_close().empty());
}

TEST(IapSession, ForbiddenConnectIsARefusal) {
  Driver d;
  d.feed(kUp, "IAP/0.3 CONNECT m.example\r\n\r\n", 0);
  auto r = d.feed(kDown, "IAP/0.3 403\r\n\r\n", 5 * kMs);
  EXPECT_EQ(r.transition.response_to, 0u);
  EXPECT_TRUE(has_event(r.transition, EventKind::Info, "CONNECT refused: 403 Forbidden"));
  EXPECT_TRUE(has_event(r.transition, EventKind::Phase, "refused"));
  EXPECT_EQ(d.s->state(), "refused");
  auto late = d.feed(kUp, "IAP/0.3 Upgrade: TLS/1.0\r\n\r\n", 6 * kMs);
  EXPECT_TRUE(has_problem(late.transition, ProblemKind::Sequence, "after the connection was refused"));
}

TEST(IapSession, ProxyLoopAnswered502) {
  Driver d;
  auto c = d.feed(kUp, "IAP/0.3 CONNECT m\r\nIAP/0.3 Via: p1\r\nIAP/0.3 Via: p2\r\nIAP/0.3 Via: p1\r\n\r\n", 0);
  EXPECT_TRUE(has_event(c.transition, EventKind::Info, "loop at p1"));
  auto r = d.feed(kDown, "IAP/0.3 502\r\n\r\n", 1 * kMs);
  EXPECT_TRUE(has_event(r.transition, EventKind::Info, "502 Bad Gateway (proxy loop"));
  EXPECT_EQ(d.s->state(), "refused");
}

TEST(IapSession, UpgradeRefusedWith500) {
  Driver d;
  d.feed(kUp, "IAP/0.3 CONNECT m\r\n\r\n", 0);
  d.feed(kDown, "IAP/0.3 200\r\n\r\n", 1);
  d.feed(kUp, "IAP/0.3 Upgrade: TLS/1.0\r\n\r\n", 2);
  auto r = d.feed(kDown, "IAP/0.3 500\r\n\r\n", 3);
  EXPECT_FALSE(r.transition.tls_follows);
  EXPECT_TRUE(has_event(r.transition, EventKind::Info, "Upgrade refused: 500"));
  EXPECT_EQ(d.s->state(), "refused");
}

TEST(IapSession, UpgradeAnsweredWith200IsNoHandoff) {
  Driver d;
  d.feed(kUp, "IAP/0.3 CONNECT m\r\n\r\n", 0);
  d.feed(kDown, "IAP/0.3 200\r\n\r\n", 1);
  d.feed(kUp, "IAP/0.3 Upgrade: TLS/1.0\r\n\r\n", 2);
  auto r = d.feed(kDown, "IAP/0.3 200\r\n\r\n", 3);
  EXPECT_FALSE(r.transition.tls_follows);
  EXPECT_TRUE(has_problem(r.transition, ProblemKind::Violation, "instead of 101"));
  EXPECT_EQ(d.s->state(), "security-setup");
}

TEST(IapSession, VersionMismatches) {
  Driver d;
  d.feed(kUp, "IAP/0.3 CONNECT m\r\n\r\n", 0);
  auto r = d.feed(kDown, "IAP/0.2 200\r\n\r\n", 1);
  EXPECT_TRUE(has_problem(r.transition, ProblemKind::Violation, "version mismatch"));
  EXPECT_TRUE(has_event(r.transition, EventKind::Info, "version mismatch"));

  Driver e;
  e.feed(kUp, "IAP/0.3 CONNECT m\r\n\r\n", 0);
  auto v = e.feed(kDown, "IAP/0.3 505\r\n\r\n", 1);
  EXPECT_TRUE(has_problem(v.transition, ProblemKind::Violation, "does not support IAP/0.3"));
  EXPECT_EQ(e.s->state(), "refused");

  // Downgrade inside TLS: channel setup verifies another version than the setup used.
  Driver f;
  f.feed(kUp, "IAP/0.4 CONNECT m\r\n\r\n", 0);
  f.feed(kDown, "IAP/0.4 200\r\n\r\n", 1);
  f.feed(kUp, "IAP/0.4 Upgrade: TLS/1.0\r\n\r\n", 2);
  f.feed(kDown, "IAP/0.4 101\r\n\r\n", 3);
  auto cs = f.feed(kUp, "IAP/0.3 IAP-Version: 0.3\r\nIAP/0.3 IAP-Role: Sender\r\n\r\n", 4);
  EXPECT_TRUE(has_problem(cs.transition, ProblemKind::Violation, "IAP-Version 0.3 but the setup ran as IAP/0.4"));
}

TEST(IapSession, OutOfPhaseMessagesAreSequenceProblems) {
  Driver d;
  auto a = d.feed(kUp, kContent, 0);
  EXPECT_TRUE(has_problem(a.transition, ProblemKind::Sequence, "before the channel setup completed"));
  Driver e;
  e.feed(kUp, "IAP/0.3 CONNECT m\r\n\r\n", 0);
  auto u = e.feed(kUp, "IAP/0.3 Upgrade: TLS/1.0\r\n\r\n", 1);
  EXPECT_TRUE(has_problem(u.transition, ProblemKind::Sequence, "before the CONNECT was accepted"));
  Driver f;
  auto c = f.feed(kDown, "IAP/0.3 CONNECT m\r\n\r\n", 0);
  EXPECT_TRUE(has_problem(c.transition, ProblemKind::Sequence, "sent by the responder"));
  Driver g;
  auto r = g.feed(kDown, "IAP/0.3 200\r\n\r\n", 0);
  EXPECT_TRUE(has_problem(r.transition, ProblemKind::Sequence, "without an outstanding request"));
  EXPECT_FALSE(r.transition.response_to.has_value());
  Driver h;
  h.feed(kUp, "IAP/0.3 CONNECT m\r\n\r\n", 0);
  h.feed(kDown, "IAP/0.3 200\r\n\r\n", 1);
  auto clear = h.feed(kUp, "IAP/0.3 IAP-Version: 0.3\r\nIAP-Role: Sender\r\n\r\n", 2);
  EXPECT_TRUE(has_problem(clear.transition, ProblemKind::Sequence, "in the clear"));
  EXPECT_EQ(h.s->state(), "channel-setup");
}

TEST(IapSession, ReceiverRoleReversesTheDataDirection) {
  Driver d;
  d.feed(kUp, "IAP/0.3 CONNECT m\r\n\r\n", 0);
  d.feed(kDown, "IAP/0.3 200\r\n\r\n", 1);
  d.feed(kUp, "IAP/0.3 Upgrade: TLS/1.0\r\n\r\n", 2);
  d.feed(kDown, "IAP/0.3 101\r\n\r\n", 3);
  d.feed(kUp, "IAP/0.3 IAP-Version: 0.3\r\nIAP/0.3 IAP-Role: Receiver\r\n\r\n", 4);
  auto ready = d.feed(kDown, "IAP/0.3 200\r\n\r\n", 5);
  EXPECT_TRUE(has_event(ready.transition, EventKind::Info, "initiator is the Receiver"));
  // The manager (responder side) now sends the requests; the initiator answers.
  auto a = d.feed(kDown, kContent, 10 * kMs);
  EXPECT_TRUE(a.transition.problems.empty());
  auto ok = d.feed(kUp, "IAP/0.3 200\r\n\r\n", 14 * kMs);
  EXPECT_EQ(ok.transition.response_to, 6u);
  EXPECT_EQ(ok.transition.latency, 4 * kMs);
  auto wrong = d.feed(kUp, kContent, 20 * kMs);
  EXPECT_TRUE(has_problem(wrong.transition, ProblemKind::Sequence, "IAP-Role is Receiver"));
}

TEST(IapSession, PipelinedContentPairsInOrderAndRejectionsAreEvents) {
  Driver d;
  for (auto m :
       {"IAP/0.3 CONNECT m\r\n\r\n", "IAP/0.3 200\r\n\r\n", "IAP/0.3 Upgrade: TLS/1.0\r\n\r\n", "IAP/0.3 101\r\n\r\n",
        "IAP/0.3 IAP-Version: 0.3\r\nIAP/0.3 IAP-Role: Sender\r\n\r\n", "IAP/0.3 200\r\n\r\n"}) {
    std::string_view sv = m;
    d.feed(sv.find("CONNECT") != sv.npos || sv.find(':') != sv.npos ? kUp : kDown, sv, 0);
  }
  ASSERT_EQ(d.s->state(), "data");
  d.feed(kUp, kContent, 100);  // #6
  d.feed(kUp, kContent, 200);  // #7
  auto r1 = d.feed(kDown, "IAP/0.3 200\r\n\r\n", 250);
  auto r2 = d.feed(kDown, "IAP/0.3 415\r\n\r\n", 290);
  EXPECT_EQ(r1.transition.response_to, 6u);
  EXPECT_EQ(r1.transition.latency, 150);
  EXPECT_EQ(r2.transition.response_to, 7u);
  EXPECT_EQ(r2.transition.latency, 90);
  EXPECT_TRUE(has_event(r2.transition, EventKind::Info, "content rejected: 415"));
  EXPECT_EQ(d.s->state(), "data");
  d.feed(kUp, kContent, 300);
  auto left = d.s->on_close();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].text.find("#10 was never answered"), std::string::npos);
}

TEST(IapSession, DecodeDoesNotAdvanceTheMachine) {
  Driver d;
  Decoded x = d.s->decode(kUp, bytes("IAP/0.3 CONNECT m\r\n\r\n"));
  EXPECT_EQ(x.name, "CONNECT");
  EXPECT_EQ(d.s->state(), "tcp-setup");
  auto r = d.feed(kDown, "IAP/0.3 200\r\n\r\n", 0);
  EXPECT_TRUE(has_problem(r.transition, ProblemKind::Sequence, "without an outstanding request"));
}

}  // namespace

// Unanswered requests are bounded like every protocol's (common/pending.hpp):
// the oldest is forgotten, so its late answer pairs with the next one instead.
TEST(IapSession, UnansweredRequestsAreBounded) {
  Driver d;
  const std::string connect = "IAP/0.3 CONNECT M.DOM.ORG\r\n\r\n";
  for (size_t i = 0; i < kMaxPending + 5; ++i) d.feed(kUp, connect, 0);
  MessageRecord r = d.feed(kDown, "IAP/0.3 200\r\n\r\n", kMs);
  ASSERT_TRUE(r.transition.response_to);
  EXPECT_EQ(*r.transition.response_to, 5u);  // requests 0..4 were forgotten
  EXPECT_EQ(d.s->on_close().size(), kMaxPending - 1);
}
