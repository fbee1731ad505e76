#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "rrp_test_util.hpp"
#include "rrp/session.hpp"
#include "../support/test_times.hpp"

using namespace rrp_test;

namespace {

using quartet::test::kMs;

// Feeds PDUs in order with increasing indexes and timestamps chosen by the test.
struct Feed {
  RrpSession s;
  uint64_t next = 0;
  std::vector<std::string> states;

  MessageRecord c(std::string_view pdu, TimeNs ts) { return feed(Direction::ToServer, pdu, ts); }
  MessageRecord sv(std::string_view pdu, TimeNs ts) { return feed(Direction::ToClient, pdu, ts); }
  MessageRecord feed(Direction dir, std::string_view pdu, TimeNs ts) {
    MessageRecord r = s.on_pdu(dir, bytes(pdu), ts, next++);
    states.emplace_back(s.state());
    return r;
  }
};

bool has_phase(const Transition& t, std::string_view prefix) {
  for (const auto& e : t.events)
    if (e.kind == EventKind::Phase && e.text.rfind(prefix, 0) == 0) return true;
  return false;
}

const Problem* seq(const Transition& t, std::string_view part) {
  for (const auto& p : t.problems)
    if (p.kind == ProblemKind::Sequence && p.text.find(part) != std::string::npos) return &p;
  return nullptr;
}

}  // namespace

TEST(RrpSession, GreetingLoginCommandQuit) {
  Feed run;
  EXPECT_EQ(run.s.state(), "PRE");
  MessageRecord g = run.sv(kBanner, 0);
  EXPECT_EQ(g.decoded.summary, "greeting NSI Registry RRP Server version 1.1.0");
  EXPECT_TRUE(g.transition.events.empty());
  EXPECT_TRUE(g.transition.problems.empty());
  EXPECT_FALSE(g.transition.response_to);

  MessageRecord login = run.c(kSession, 10 * kMs);
  EXPECT_EQ(login.decoded.name, "session");
  MessageRecord ok = run.sv(kOk, 25 * kMs);
  ASSERT_TRUE(ok.transition.response_to);
  EXPECT_EQ(*ok.transition.response_to, 1u);
  EXPECT_EQ(*ok.transition.latency, 15 * kMs);
  EXPECT_TRUE(has_phase(ok.transition, "WFC: authenticated as registrarA"));

  MessageRecord add = run.c(kAddDomain, 30 * kMs);
  EXPECT_TRUE(add.transition.events.empty());
  MessageRecord added = run.sv(kAddDomainReply, 130 * kMs);
  EXPECT_EQ(*added.transition.response_to, 3u);
  EXPECT_EQ(*added.transition.latency, 100 * kMs);

  run.c(kQuit, 200 * kMs);
  MessageRecord bye = run.sv(kQuitReply, 201 * kMs);
  EXPECT_EQ(*bye.transition.response_to, 5u);
  EXPECT_EQ(*bye.transition.latency, 1 * kMs);
  EXPECT_TRUE(has_phase(bye.transition, "DIS: QUIT acknowledged (220)"));

  std::vector<std::string> want = {"PRE", "PRE", "WFC", "EXE", "WFC", "EXE", "DIS"};
  EXPECT_EQ(run.states, want);
  EXPECT_TRUE(run.s.on_close().empty());
}

TEST(RrpSession, WithoutGreeting) {
  Feed run;
  MessageRecord a = run.c(kSession, 0);
  EXPECT_TRUE(a.transition.problems.empty());
  MessageRecord b = run.sv(kOk, 5);
  EXPECT_EQ(*b.transition.response_to, 0u);
  run.c(kCheckDomain, 6);
  MessageRecord c = run.sv("210 Domain name available\r\n.\r\n", 9);
  EXPECT_EQ(*c.transition.response_to, 2u);
  EXPECT_EQ(*c.transition.latency, 3);
  EXPECT_TRUE(c.transition.problems.empty());
  EXPECT_EQ(run.s.state(), "WFC");
}

TEST(RrpSession, FailedAuthenticationThenRetry) {
  Feed run;
  run.sv(kBanner, 0);
  run.c(kSession, 1);
  MessageRecord fail = run.sv(kAuthFailed, 2);
  EXPECT_EQ(*fail.transition.response_to, 1u);
  EXPECT_TRUE(has_phase(fail.transition, "WFR: SESSION failed (530); one retry left"));
  EXPECT_TRUE(fail.transition.problems.empty());
  MessageRecord retry = run.c(kSession, 3);
  EXPECT_TRUE(retry.transition.problems.empty());  // a retry is allowed in WFR
  MessageRecord ok = run.sv(kOk, 4);
  EXPECT_TRUE(has_phase(ok.transition, "WFC: authenticated as registrarA"));
  std::vector<std::string> want = {"PRE", "PRE", "WFR", "WFR", "WFC"};
  EXPECT_EQ(run.states, want);
}

TEST(RrpSession, SecondFailedAuthenticationDisconnects) {
  Feed run;
  run.c(kSession, 1);
  run.sv(kAuthFailed, 2);
  run.c(kSession, 3);
  MessageRecord second = run.sv(kAuthFailed, 4);
  EXPECT_TRUE(has_phase(second.transition, "DIS: SESSION failed (530) twice"));
  MessageRecord late = run.c(kCheckDomain, 5);
  EXPECT_TRUE(seq(late.transition, "data after the session was closed"));
  std::vector<std::string> want = {"PRE", "WFR", "WFR", "DIS", "DIS"};
  EXPECT_EQ(run.states, want);
  EXPECT_TRUE(run.s.on_close().empty());  // nothing is awaited after DIS
}

TEST(RrpSession, CommandBeforeSession) {
  Feed run;
  run.sv(kBanner, 0);  // the greeting proves the connection start was captured
  MessageRecord r = run.c(kAddDomain, 1);
  const Problem* p = seq(r.transition, "ADD before a successful SESSION (state PRE)");
  ASSERT_TRUE(p);
  EXPECT_EQ(severity_of(p->kind), Severity::Warning);
  MessageRecord reply = run.sv("547 Invalid command sequence\r\n.\r\n", 2);
  EXPECT_EQ(*reply.transition.response_to, 1u);
  EXPECT_EQ(run.s.state(), "PRE");
  // QUIT needs no authentication.
  MessageRecord q = run.c(kQuit, 3);
  EXPECT_TRUE(q.transition.problems.empty());
  run.sv(kQuitReply, 4);
  EXPECT_EQ(run.s.state(), "DIS");
}

// Without a greeting a first command may equally be a capture that joined an
// authenticated session: assumed so until the server answers 547/530.
TEST(RrpSession, FirstCommandWithoutGreetingSettledByTheAnswer) {
  Feed joined;
  MessageRecord c = joined.c(kCheckDomain, 0);
  EXPECT_TRUE(c.transition.problems.empty());
  EXPECT_TRUE(has_phase(c.transition, "WFC: joined after authentication"));
  MessageRecord ok = joined.sv("211 Domain name not available\r\n.\r\n", 1);
  EXPECT_TRUE(ok.transition.problems.empty());
  EXPECT_EQ(*ok.transition.response_to, 0u);
  joined.c(kAddDomain, 2);
  joined.sv(kAddDomainReply, 3);
  std::vector<std::string> want = {"EXE", "WFC", "EXE", "WFC"};
  EXPECT_EQ(joined.states, want);

  Feed refused;
  MessageRecord add = refused.c(kAddDomain, 0);
  EXPECT_TRUE(add.transition.problems.empty());
  MessageRecord no = refused.sv("547 Invalid command sequence\r\n.\r\n", 1);
  EXPECT_TRUE(seq(no.transition, "ADD before a successful SESSION (answered 547)"));
  EXPECT_TRUE(has_phase(no.transition, "PRE: not authenticated (547)"));
  EXPECT_EQ(refused.s.state(), "PRE");
  refused.c(kSession, 2);
  refused.sv(kOk, 3);
  EXPECT_EQ(refused.s.state(), "WFC");
}

TEST(RrpSession, SecondRequestBeforeResponsePairsInOrder) {
  Feed run;
  run.c(kSession, 0);
  run.sv(kOk, 1);
  run.c(kCheckDomain, 10);
  MessageRecord early = run.c(kStatusNameServer, 11);
  EXPECT_TRUE(seq(early.transition, "request sent before the response to request #2"));
  MessageRecord r1 = run.sv("211 Domain name not available\r\n.\r\n", 20);
  MessageRecord r2 = run.sv(kStatusNameServerReply, 40);
  EXPECT_EQ(*r1.transition.response_to, 2u);
  EXPECT_EQ(*r1.transition.latency, 10);
  EXPECT_EQ(*r2.transition.response_to, 3u);
  EXPECT_EQ(*r2.transition.latency, 29);
  std::vector<std::string> want = {"PRE", "WFC", "EXE", "EXE", "EXE", "WFC"};
  EXPECT_EQ(run.states, want);
}

TEST(RrpSession, ResponseWithoutRequestAndLateGreeting) {
  Feed run;
  // First of all a response: it answers a request sent before the capture started.
  MessageRecord r = run.sv(kOk, 0);
  EXPECT_TRUE(r.transition.problems.empty());
  EXPECT_FALSE(r.transition.response_to);
  EXPECT_TRUE(has_phase(r.transition, "WFC: joined mid-session (the first message is a response)"));
  MessageRecord g = run.sv(kBanner, 1);
  EXPECT_TRUE(seq(g.transition, "greeting after the session started"));
  MessageRecord again = run.sv(kOk, 2);
  EXPECT_TRUE(seq(again.transition, "response 200 without an outstanding request"));
  EXPECT_EQ(run.s.state(), "WFC");
}

TEST(RrpSession, CheckAnswerWithoutItsCheckIsNotPaired) {
  // The CHECK request was lost in a capture gap; QUIT follows.
  Feed run;
  run.c(kSession, 0);
  run.sv(kOk, 1);
  run.c(kQuit, 5);
  MessageRecord orphan = run.sv("210 Domain name available\r\n.\r\n", 6);
  EXPECT_FALSE(orphan.transition.response_to);
  EXPECT_TRUE(seq(orphan.transition, "response 210 answers a CHECK, but request #2 (quit) is the one awaiting"));
  MessageRecord bye = run.sv(kQuitReply, 7);
  ASSERT_TRUE(bye.transition.response_to);
  EXPECT_EQ(*bye.transition.response_to, 2u);
  EXPECT_TRUE(bye.transition.problems.empty());
  EXPECT_EQ(run.s.state(), "DIS");
}

TEST(RrpSession, RefusalAtConnectIsNoViolation) {
  Feed run;
  MessageRecord r = run.sv("521 Too many sessions open. Server closing connection\r\n.\r\n", 0);
  EXPECT_TRUE(r.transition.problems.empty());
  EXPECT_FALSE(r.transition.response_to);
  EXPECT_TRUE(has_phase(r.transition, "DIS: server closing (521)"));
  EXPECT_EQ(run.s.state(), "DIS");
}

TEST(RrpSession, GreetingWordedAsAResponse) {
  Feed run;
  MessageRecord g = run.sv("200 NSI Registry RRP Server version 1.1.0\r\n.\r\n", 0);
  EXPECT_TRUE(g.transition.problems.empty());
  ASSERT_EQ(g.transition.events.size(), 1u);
  EXPECT_EQ(g.transition.events[0].text, "response-shaped server greeting: 200 NSI Registry RRP Server version 1.1.0");
  run.c(kSession, 1);
  MessageRecord ok = run.sv(kOk, 2);
  EXPECT_EQ(*ok.transition.response_to, 1u);
  EXPECT_EQ(run.s.state(), "WFC");
}

TEST(RrpSession, IdleBeyondTenMinutesIsNoted) {
  Feed run;
  constexpr TimeNs kSec = 1'000'000'000;
  run.c(kSession, 0);
  run.sv(kOk, 1 * kSec);
  MessageRecord soon = run.c(kCheckDomain, 601 * kSec);  // exactly 600 s later: not beyond
  EXPECT_TRUE(soon.transition.events.empty());
  run.sv(kOk, 602 * kSec);
  MessageRecord late = run.c(kQuit, 1300 * kSec);
  ASSERT_EQ(late.transition.events.size(), 1u);
  EXPECT_EQ(late.transition.events[0].kind, EventKind::Info);
  EXPECT_EQ(late.transition.events[0].text, "connection idle for 698 s, beyond RRP's 10-minute session timeout");
}

TEST(RrpSession, ServerErrorClosesTheSession) {
  Feed run;
  run.c(kSession, 0);
  run.sv(kOk, 1);
  run.c(kAddDomain, 2);
  MessageRecord err = run.sv("420 Command failed due to server error. Server closing connection\r\n.\r\n", 3);
  EXPECT_TRUE(has_phase(err.transition, "DIS: server closing (420)"));
  EXPECT_EQ(run.s.state(), "DIS");
  MessageRecord more = run.sv(kOk, 4);
  EXPECT_TRUE(seq(more.transition, "data after the session was closed"));
}

TEST(RrpSession, SessionTwiceAndUnansweredAtClose) {
  Feed run;
  run.c(kSession, 0);
  run.sv(kOk, 1);
  MessageRecord again = run.c(kSession, 2);
  EXPECT_TRUE(seq(again.transition, "SESSION on an already authenticated connection"));
  run.sv(kOk, 3);
  EXPECT_EQ(run.s.state(), "WFC");
  run.c(kRenew, 4);
  auto left = run.s.on_close();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].kind, ProblemKind::Sequence);
  EXPECT_EQ(left[0].text, "request #4 (renew) was never answered");
}

TEST(RrpSession, ExtremeTimestampsGiveNoLatency) {
  Feed run;
  run.c(kSession, std::numeric_limits<TimeNs>::min());
  MessageRecord r = run.sv(kOk, std::numeric_limits<TimeNs>::max());  // difference overflows
  EXPECT_EQ(*r.transition.response_to, 0u);
  EXPECT_FALSE(r.transition.latency);
  EXPECT_TRUE(r.transition.events.size() == 1);  // the phase; no idle note from an overflow
  run.c(kCheckDomain, 100);
  MessageRecord back = run.sv(kOk, 50);  // clock went backwards
  EXPECT_FALSE(back.transition.latency);
}

TEST(RrpSession, DecodeDoesNotAdvance) {
  RrpSession s;
  Decoded d = s.decode(Direction::ToServer, bytes(kSession));
  EXPECT_EQ(d.name, "session");
  EXPECT_EQ(s.state(), "PRE");
  Decoded r = s.decode(Direction::ToClient, bytes(kOk));
  EXPECT_EQ(r.name, "200");
  EXPECT_EQ(s.state(), "PRE");
}

TEST(RrpProtocol, Descriptor) {
  const Protocol& p = quartet::rrp::protocol();
  EXPECT_EQ(p.filter_name, "rrp");
  EXPECT_EQ(p.short_name, "RRP");
  EXPECT_EQ(p.long_name, "Registry Registrar Protocol");
  ASSERT_EQ(p.default_tls_ports.size(), 1u);
  EXPECT_EQ(p.default_tls_ports[0], 648);
  EXPECT_TRUE(p.default_tcp_ports.empty());
  EXPECT_EQ(p.fields.size(), static_cast<size_t>(kFieldCount));
  EXPECT_EQ(find_protocol("rrp"), &p);
  std::set<std::string_view> abbrevs;
  for (const auto& f : p.fields) {
    EXPECT_TRUE(abbrevs.insert(f.abbrev).second) << f.abbrev;
    EXPECT_NE(std::string_view(f.abbrev).rfind("rrp.", 0), 0u) << f.abbrev;  // relative names
  }
  EXPECT_EQ(std::string_view(def_of(p.fields, kDomainName).abbrev), "domain_name");
  EXPECT_EQ(std::string_view(def_of(p.fields, kCode).abbrev), "response.code");
  // The descriptor's function pointers are the real ones.
  EXPECT_EQ(p.frame(bytes(kQuit)).status, FrameResult::Status::Complete);
  EXPECT_EQ(p.decode(bytes(kQuit), Direction::ToServer).name, "quit");
  EXPECT_EQ(p.probe(bytes(kQuit)), Probe::Yes);
  auto s = p.new_session();
  EXPECT_EQ(s->state(), "PRE");
}
