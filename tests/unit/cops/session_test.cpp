// The COPS session machine: OPN/CAT, REQ/DEC/RPT/DRQ per handle, KA, SSQ/SSC,
// sequence problems and the RFC 4261 TLS hand-off.
#include <memory>

#include "cops/names.hpp"
#include "cops/session.hpp"
#include "cops_test_util.hpp"
#include "../support/test_times.hpp"

using namespace cops_test;
using namespace quartet::cops;
using enum quartet::cops::Field;
using quartet::Direction;
using quartet::EventKind;
using quartet::MessageRecord;

namespace {

using quartet::test::kMs;

class Feed {
 public:
  Feed() : s_(protocol().new_session()) {}
  MessageRecord pep(const Buf& b, quartet::TimeNs ts) { return push(Direction::ToServer, b, ts); }
  MessageRecord pdp(const Buf& b, quartet::TimeNs ts) { return push(Direction::ToClient, b, ts); }
  quartet::Session& session() { return *s_; }

 private:
  MessageRecord push(Direction d, const Buf& b, quartet::TimeNs ts) {
    keep_.push_back(std::make_unique<Buf>(b));  // fields may point into the PDU
    return s_->on_pdu(d, view(*keep_.back()), ts, index_++);
  }
  std::unique_ptr<quartet::Session> s_;
  std::vector<std::unique_ptr<Buf>> keep_;
  uint64_t index_ = 0;
};

bool has_event(const MessageRecord& r, EventKind k, const std::string& text = {}) {
  for (const auto& e : r.transition.events)
    if (e.kind == k && (text.empty() || e.text == text)) return true;
  return false;
}
int seq(const MessageRecord& r) {
  int n = 0;
  for (const auto& p : r.transition.problems) n += p.kind == ProblemKind::Sequence;
  return n;
}
std::string seq_texts(const MessageRecord& r) {
  std::string s;
  for (const auto& p : r.transition.problems) s += p.text + "\n";
  return s;
}

}  // namespace

TEST(CopsSession, FullExchangeWithPairingAndLatency) {
  Feed f;
  EXPECT_EQ(f.session().state(), "connected");
  auto opn = f.pep(Msg(kOPN, 2).pep_id("pep1").done(), 1000 * kMs);
  EXPECT_TRUE(has_event(opn, EventKind::Phase, "opening"));
  auto cat_ = f.pdp(Msg(kCAT, 2).ka_timer(30).done(), 1012 * kMs);
  EXPECT_EQ(cat_.transition.response_to, 0u);
  EXPECT_EQ(cat_.transition.latency, 12 * kMs);
  EXPECT_TRUE(has_event(cat_, EventKind::Phase, "open"));
  EXPECT_EQ(f.session().state(), "open");
  EXPECT_FALSE(cat_.transition.tls_follows);

  auto req = f.pep(Msg(kREQ, 2).handle(0x1001).context(8).done(), 1100 * kMs);
  EXPECT_EQ(seq(req), 0) << seq_texts(req);
  EXPECT_FALSE(req.transition.response_to);
  auto dec = f.pdp(Msg(kDEC, 2, 1).handle(0x1001).context(8).decision(1).done(), 1150 * kMs);
  EXPECT_EQ(dec.transition.response_to, 2u);
  EXPECT_EQ(dec.transition.latency, 50 * kMs);
  EXPECT_EQ(dec.decoded.summary, "DEC Install handle=0x00001001");
  auto rpt = f.pep(Msg(kRPT, 2, 1).handle(0x1001).report(1).done(), 1160 * kMs);
  EXPECT_EQ(rpt.transition.response_to, 3u);
  EXPECT_EQ(rpt.transition.latency, 10 * kMs);
  // An unsolicited DEC later updates the state; it answers no REQ.
  auto dec2 = f.pdp(Msg(kDEC, 2).handle(0x1001).context(8).decision(2).done(), 2000 * kMs);
  EXPECT_FALSE(dec2.transition.response_to);
  EXPECT_EQ(seq(dec2), 0) << seq_texts(dec2);
  auto drq = f.pep(Msg(kDRQ, 2).handle(0x1001).reason(2).done(), 2100 * kMs);
  EXPECT_EQ(seq(drq), 0);
  // The handle is gone now.
  auto late = f.pdp(Msg(kDEC, 2).handle(0x1001).context(8).decision(1).done(), 2200 * kMs);
  EXPECT_EQ(seq(late), 1);
  EXPECT_NE(seq_texts(late).find("DEC for unknown handle 0x00001001"), std::string::npos);
  EXPECT_TRUE(f.session().on_close().empty());
}

TEST(CopsSession, KeepAliveEchoAndTimer) {
  Feed f;
  f.pep(Msg(kOPN, 1).pep_id("p").done(), 0);
  f.pdp(Msg(kCAT, 1).ka_timer(10).done(), 1 * kMs);
  auto ka = f.pep(Msg(kKA, 0).done(), 5000 * kMs);
  EXPECT_TRUE(ka.decoded.is_request);
  auto echo = f.pdp(Msg(kKA, 0).done(), 5003 * kMs);
  EXPECT_EQ(echo.transition.response_to, 2u);
  EXPECT_EQ(echo.transition.latency, 3 * kMs);
  // A PDP keep-alive nobody asked for: tolerated, noted.
  auto own = f.pdp(Msg(kKA, 0).done(), 6000 * kMs);
  EXPECT_FALSE(own.transition.response_to);
  ASSERT_EQ(own.transition.problems.size(), 1u);
  EXPECT_EQ(own.transition.problems[0].kind, ProblemKind::Deviation);
  // The PEP stays silent longer than the 10 s KA timer.
  auto silent = f.pep(Msg(kKA, 0).done(), 16000 * kMs);
  EXPECT_EQ(seq(silent), 1) << seq_texts(silent);
  EXPECT_NE(seq_texts(silent).find("longer than the Keep-Alive timer (10 s)"), std::string::npos);
}

TEST(CopsSession, SequenceProblems) {
  Feed f;
  f.pep(Msg(kOPN, 1).pep_id("p").done(), 0);
  auto early = f.pep(Msg(kREQ, 1).handle(1).context(1).done(), 1);
  EXPECT_NE(seq_texts(early).find("REQ before Client-Accept for client-type RSVP"), std::string::npos)
      << seq_texts(early);
  f.pdp(Msg(kCAT, 1).ka_timer(0).done(), 2);
  auto wrong_dir = f.pdp(Msg(kREQ, 1).handle(2).context(1).done(), 3);
  EXPECT_NE(seq_texts(wrong_dir).find("REQ sent by the PDP"), std::string::npos);
  auto rpt = f.pep(Msg(kRPT, 1).handle(77).report(1).done(), 4);
  EXPECT_NE(seq_texts(rpt).find("RPT for unknown handle 0x0000004d"), std::string::npos);
  auto drq = f.pep(Msg(kDRQ, 1).handle(78).reason(1).done(), 5);
  EXPECT_EQ(seq(drq), 1);
  auto ssc = f.pep(Msg(kSSC, 1).done(), 6);
  EXPECT_NE(seq_texts(ssc).find("SSC without a preceding SSQ"), std::string::npos);
  auto cat2 = f.pdp(Msg(kCAT, 1).ka_timer(0).done(), 7);
  EXPECT_NE(seq_texts(cat2).find("CAT without a pending OPN"), std::string::npos);
}

TEST(CopsSession, SyncRequestAndComplete) {
  Feed f;
  f.pep(Msg(kOPN, 2).pep_id("p").done(), 0);
  f.pdp(Msg(kCAT, 2).ka_timer(0).done(), 1 * kMs);
  auto ssq = f.pdp(Msg(kSSQ, 2).done(), 10 * kMs);
  EXPECT_TRUE(has_event(ssq, EventKind::Info));
  f.pep(Msg(kREQ, 2).handle(1).context(8).done(), 11 * kMs);
  auto ssc = f.pep(Msg(kSSC, 2).done(), 12 * kMs);
  EXPECT_EQ(ssc.transition.response_to, 2u);
  EXPECT_EQ(ssc.transition.latency, 2 * kMs);
}

TEST(CopsSession, UnansweredRequestsAtClose) {
  Feed f;
  f.pep(Msg(kOPN, 2).pep_id("p").done(), 0);
  f.pdp(Msg(kCAT, 2).ka_timer(0).done(), 1);
  f.pep(Msg(kREQ, 2).handle(1).context(8).done(), 2);
  f.pep(Msg(kREQ, 2).handle(2).context(8).done(), 3);
  f.pdp(Msg(kDEC, 2, 1).handle(2).context(8).decision(1).done(), 4);
  auto left = f.session().on_close();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].kind, ProblemKind::Sequence);
  EXPECT_EQ(left[0].text, "REQ #2 for handle 0x00000001 (client-type COPS-PR/DiffServ) never answered by a DEC");
}

TEST(CopsSession, ClientCloseAnswersOpenAndDropsHandles) {
  Feed f;
  f.pep(Msg(kOPN, 6).pep_id("p").done(), 0);
  auto cc = f.pdp(Msg(kCC, 6).error(6).done(), 4 * kMs);
  EXPECT_EQ(cc.transition.response_to, 0u);
  EXPECT_EQ(cc.transition.latency, 4 * kMs);
  EXPECT_EQ(f.session().state(), "closed");
  EXPECT_TRUE(f.session().on_close().empty());
}

TEST(CopsSession, Rfc4261TlsHandoff) {
  Feed f;
  auto opn = f.pep(Msg(kOPN, 0).pep_id("pep1").integrity_tls(1).done(), 0);
  EXPECT_TRUE(opn.transition.problems.empty()) << seq_texts(opn);
  auto cat_ = f.pdp(Msg(kCAT, 0).ka_timer(30).integrity_tls(0).done(), 7 * kMs);
  EXPECT_EQ(cat_.transition.response_to, 0u);
  EXPECT_TRUE(cat_.transition.tls_follows);
  EXPECT_TRUE(has_event(cat_, EventKind::TlsHandoff));
  EXPECT_TRUE(has_event(cat_, EventKind::Phase, "tls"));
  EXPECT_EQ(f.session().state(), "tls");
  EXPECT_EQ(cat_.decoded.summary, "CAT client-type=0 ka=30s Integrity-TLS");

  // What follows was decrypted from TLS: a COPS session of its own, with its own
  // Client-Open, and no complaint about clear text.
  auto inner = f.pep(Msg(kOPN, 1).pep_id("pep1").done(), 20 * kMs);
  EXPECT_EQ(seq(inner), 0) << seq_texts(inner);
  EXPECT_TRUE(has_event(inner, EventKind::Info, "first COPS message inside TLS"));
  EXPECT_TRUE(has_event(inner, EventKind::Phase, "opening"));
  auto inner_cat = f.pdp(Msg(kCAT, 1).ka_timer(30).done(), 25 * kMs);
  EXPECT_EQ(inner_cat.transition.response_to, 2u);
  EXPECT_FALSE(inner_cat.transition.tls_follows);
  EXPECT_EQ(f.session().state(), "open");
}

TEST(CopsSession, PlainOpenIsNoTlsHandoffAndRefusalIsNoted) {
  Feed f;
  f.pep(Msg(kOPN, 2).pep_id("pep1").done(), 0);
  auto cat_ = f.pdp(Msg(kCAT, 2).ka_timer(30).done(), 1);
  EXPECT_FALSE(cat_.transition.tls_follows);
  Feed g;
  g.pep(Msg(kOPN, 0).pep_id("pep1").integrity_tls().done(), 0);
  auto cc = g.pdp(Msg(kCC, 0).error(15, 0x1000).done(), 1);
  EXPECT_FALSE(cc.transition.tls_follows);
  EXPECT_EQ(cc.transition.response_to, 0u);
  EXPECT_TRUE(has_event(cc, EventKind::Info, "PDP refuses COPS over TLS"));
}

TEST(CopsSession, DecodeDoesNotAdvance) {
  Feed f;
  Buf opn = Msg(kOPN, 2).pep_id("pep1").done();
  auto d = f.session().decode(Direction::ToServer, view(opn));
  EXPECT_EQ(d.summary, "OPN pep-id=\"pep1\" client-type=COPS-PR/DiffServ");
  EXPECT_EQ(f.session().state(), "connected");
}

// PacketCable Multimedia: the policy server (PDP) opens the TCP connection to
// the CMTS (PEP), so the PEP's messages travel ToClient.
TEST(CopsSession, PepAsTcpServerLearnedFromOpn) {
  Feed f;
  auto opn = f.pdp(Msg(kOPN, kClientTypePcmm).pep_id("CMTS-1").done(), 0);
  EXPECT_EQ(seq(opn), 0) << seq_texts(opn);
  auto cat_ = f.pep(Msg(kCAT, kClientTypePcmm).ka_timer(30).done(), 1 * kMs);
  EXPECT_EQ(seq(cat_), 0) << seq_texts(cat_);
  EXPECT_EQ(cat_.transition.response_to, 0u);
  auto req = f.pdp(Msg(kREQ, kClientTypePcmm).handle(7).context(8).done(), 2 * kMs);
  EXPECT_EQ(seq(req), 0) << seq_texts(req);
  auto dec = f.pep(Msg(kDEC, kClientTypePcmm, 1).handle(7).context(8).decision(1).done(), 3 * kMs);
  EXPECT_EQ(dec.transition.response_to, 2u);
  auto ka = f.pdp(Msg(kKA, 0).done(), 4 * kMs);  // from the CMTS
  EXPECT_TRUE(ka.decoded.is_request);
  auto echo = f.pep(Msg(kKA, 0).done(), 5 * kMs);
  EXPECT_TRUE(echo.decoded.is_response);
  EXPECT_EQ(echo.transition.response_to, 4u);
  EXPECT_TRUE(echo.transition.problems.empty());
}

// One side counts the Handle's padding in its length, the other does not.
TEST(CopsSession, HandleWithCountedPaddingStillMatches) {
  Feed f;
  f.pep(Msg(kOPN, 1).pep_id("p").done(), 0);
  f.pdp(Msg(kCAT, 1).ka_timer(0).done(), 1);
  Buf h6 = {0x00, 0x00, 0x12, 0x34, 0xab, 0xcd};
  f.pep(Msg(kREQ, 1).obj_len_counts_padding(1, 1, h6).context(1).done(), 2);         // 8 handle bytes
  auto dec = f.pdp(Msg(kDEC, 1, 1).obj(1, 1, h6).context(1).decision(1).done(), 3);  // 6 bytes
  EXPECT_EQ(dec.transition.response_to, 2u);
  EXPECT_EQ(seq(dec), 0) << seq_texts(dec);
  ASSERT_EQ(dec.transition.problems.size(), 1u);
  EXPECT_EQ(dec.transition.problems[0].kind, ProblemKind::Deviation);
  // Handles that differ in more than padding stay apart.
  f.pep(Msg(kREQ, 1).handle(0x01000000).context(1).done(), 4);
  auto other = f.pdp(Msg(kDEC, 1, 1).handle(0x01000001).context(1).decision(1).done(), 5);
  EXPECT_EQ(seq(other), 1);
}

// A capture that starts inside a running session: no OPN/CAT, handles already open.
TEST(CopsSession, PickedUpMidStream) {
  Feed f;
  auto rpt = f.pep(Msg(kRPT, 1, 1).handle(1).report(1).done(), 0);
  EXPECT_TRUE(rpt.transition.problems.empty()) << seq_texts(rpt);
  EXPECT_TRUE(has_event(rpt, EventKind::Info));
  EXPECT_EQ(f.session().state(), "open");
  auto req = f.pep(Msg(kREQ, 1).handle(2).context(1).done(), 10 * kMs);
  EXPECT_TRUE(req.transition.problems.empty()) << seq_texts(req);
  auto dec = f.pdp(Msg(kDEC, 1, 1).handle(2).context(1).decision(1).done(), 12 * kMs);
  EXPECT_EQ(dec.transition.response_to, 1u);
  auto udec = f.pdp(Msg(kDEC, 1).handle(3).context(1).decision(1).done(), 13 * kMs);
  EXPECT_TRUE(udec.transition.problems.empty()) << seq_texts(udec);
  auto rpt3 = f.pep(Msg(kRPT, 1, 1).handle(3).report(1).done(), 14 * kMs);
  EXPECT_EQ(rpt3.transition.response_to, 3u);  // the adopted handle's DEC
  auto ka = f.pep(Msg(kKA, 0).done(), 15 * kMs);
  EXPECT_TRUE(ka.transition.problems.empty()) << seq_texts(ka);
  auto drq = f.pep(Msg(kDRQ, 1).handle(9).reason(2).done(), 16 * kMs);
  EXPECT_TRUE(drq.transition.problems.empty()) << seq_texts(drq);
  EXPECT_TRUE(f.session().on_close().empty());
}

// Request state is bounded (kMaxPending): past it the oldest handles are forgotten.
TEST(CopsSession, HandleTableIsBounded) {
  Buf req = Msg(kREQ, 1).handle(0).context(1).done();
  auto s = protocol().new_session();
  Buf opn = Msg(kOPN, 1).pep_id("p").done(), cat_ = Msg(kCAT, 1).ka_timer(0).done();
  s->on_pdu(Direction::ToServer, view(opn), 0, 0);
  s->on_pdu(Direction::ToClient, view(cat_), 1, 1);
  bool capped = false;
  for (uint32_t h = 0; h <= quartet::kMaxPending; ++h) {
    req[12] = uint8_t(h >> 24), req[13] = uint8_t(h >> 16), req[14] = uint8_t(h >> 8), req[15] = uint8_t(h);
    auto r = s->on_pdu(Direction::ToServer, view(req), 2, 2 + h);
    capped = capped || !r.transition.events.empty();
  }
  EXPECT_TRUE(capped);
  EXPECT_EQ(s->on_close().size(), quartet::kMaxPending);
}
