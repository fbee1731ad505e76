#include "validate.hpp"
#include "problems.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "names.hpp"

namespace quartet::cops {
namespace {

// Walks a message's objects along its grammar. Objects whose C-Num the message
// never carries are reported as "not allowed" and skipped at once, so one stray
// object does not derail the rest of the walk.
class Walk {
 public:
  Walk(const Message& m, Decoded& out, std::initializer_list<uint8_t> allowed, const char* section)
      : m_(m), out_(out), section_(section) {
    // Copied: the list's backing array dies with the constructor call.
    for (uint8_t a : allowed)
      if (n_allowed_ < allowed_.size()) allowed_[n_allowed_++] = a;
    abbrev_ = opcode_abbrev(m.opcode);
  }

  // The next object, if it is (cnum, ctype); ctype 0 matches any C-Type.
  bool take(uint8_t cnum, uint8_t ctype = 0) {
    skip_foreign();
    if (i_ >= m_.objects.size()) return false;
    const ObjectRef& o = m_.objects[i_];
    if (o.cnum != cnum || (ctype && o.ctype != ctype)) return false;
    ++i_;
    return true;
  }
  bool next_is(uint8_t cnum) {
    skip_foreign();
    return i_ < m_.objects.size() && m_.objects[i_].cnum == cnum;
  }
  void require(uint8_t cnum, uint8_t ctype, const char* what) {
    if (!take(cnum, ctype)) missing(what);
  }
  void missing(const char* what) {
    // Where the object should have been: the next object, else the end of the last one.
    size_t at = 8;
    if (i_ < m_.objects.size()) at = m_.objects[i_].offset;
    else if (!m_.objects.empty()) at = m_.objects.back().offset + m_.objects.back().length;
    out_.problem(ProblemId::kMessageObjectMissing, at, 0,
                 std::string(abbrev_) + " without a mandatory " + what + " object (RFC 2748 " + section_ + ")");
  }
  // Whatever the grammar did not consume is out of place.
  void finish() {
    for (skip_foreign(); i_ < m_.objects.size(); ++i_, skip_foreign()) {
      const ObjectRef& o = m_.objects[i_];
      const char* name = object_name(o.cnum, o.ctype);
      out_.problem(ProblemId::kMessageObjectOrder, o.offset, o.length,
                   std::string(name ? name : "object") + " out of order or repeated in " + abbrev_ + " (RFC 2748 " +
                       section_ + ")");
    }
  }

 private:
  // The grammar asks about one object several times (next_is, then take): it is
  // screened once, and the check for that stays inline.
  void skip_foreign() {
    if (i_ != screened_) screen();
  }
  void screen() {
    while (i_ < m_.objects.size()) {
      const ObjectRef& o = m_.objects[i_];
      // Unknown C-Nums / C-Types were reported by the decoder already.
      if (!object_name(o.cnum, o.ctype)) {
        ++i_;
        continue;
      }
      if (std::find(allowed_.begin(), allowed_.begin() + n_allowed_, o.cnum) != allowed_.begin() + n_allowed_) {
        screened_ = i_;
        return;
      }
      out_.problem(ProblemId::kMessageObjectNotAllowed, o.offset, o.length,
                   std::string(object_name(o.cnum, o.ctype)) + " object is not allowed in " + abbrev_ + " (RFC 2748 " +
                       section_ + ")");
      ++i_;
    }
    screened_ = i_;  // the end
  }

  const Message& m_;
  Decoded& out_;
  std::array<uint8_t, 8> allowed_{};
  size_t n_allowed_ = 0;
  const char* section_;
  const char* abbrev_ = "";
  size_t i_ = 0;
  size_t screened_ = SIZE_MAX;  // the object found allowed last (i_ when it still is the next)
};

// The optional trailing data objects of a Decision / LPDP Decision, in order.
void decision_data(Walk& w, uint8_t cnum) {
  for (uint8_t t = 2; t <= 5; ++t) w.take(cnum, t);
}

}  // namespace

void validate_objects(const Message& m, Decoded& out) {
  switch (m.opcode) {
    case kREQ: {
      // <Handle> <Context> [<IN-Int>] [<OUT-Int>] [<ClientSI(s)>] [<LPDPDecision(s)>] [<Integrity>]
      Walk w(m, out, {kHandle, kContext, kInInterface, kOutInterface, kClientSI, kLpdpDecision, kIntegrity}, "3.1");
      w.require(kHandle, 1, "Client Handle");
      w.require(kContext, 1, "Context");
      w.take(kInInterface);
      w.take(kOutInterface);
      while (w.take(kClientSI)) {
      }
      // LPDPDecision ::= [<Context>] <LPDPDecision: Flags> [data objects]
      for (;;) {
        bool ctx = w.take(kContext);
        if (w.take(kLpdpDecision, 1)) {
          decision_data(w, kLpdpDecision);
        } else if (ctx) {
          w.missing("LPDP Decision: Flags");
        } else {
          break;
        }
      }
      w.take(kIntegrity);
      w.finish();
      break;
    }
    case kDEC: {
      // <Handle> <Decision(s)> | <Error> [<Integrity>];
      // Decision ::= <Context> <Decision: Flags> [Stateless] [Replacement] [ClientSI] [Named]
      Walk w(m, out, {kHandle, kContext, kDecision, kError, kIntegrity}, "3.2");
      w.require(kHandle, 1, "Client Handle");
      if (!w.take(kError)) {
        int decisions = 0;
        while (w.next_is(kContext) || w.next_is(kDecision)) {
          bool context = w.take(kContext);
          bool flags = w.take(kDecision, 1);
          if (!context && !flags) break;  // a stray data object: finish() reports it
          if (!context) w.missing("Context");
          if (flags) decision_data(w, kDecision);
          else w.missing("Decision: Flags");
          ++decisions;
        }
        if (decisions == 0) w.missing("Context + Decision (or Error)");
      }
      w.take(kIntegrity);
      w.finish();
      break;
    }
    case kRPT: {
      // <Handle> <Report-Type> [<ClientSI>] [<Integrity>] (COPS-PR allows several ClientSIs)
      Walk w(m, out, {kHandle, kReportType, kClientSI, kIntegrity}, "3.3");
      w.require(kHandle, 1, "Client Handle");
      w.require(kReportType, 1, "Report-Type");
      while (w.take(kClientSI)) {
      }
      w.take(kIntegrity);
      w.finish();
      break;
    }
    case kDRQ: {
      Walk w(m, out, {kHandle, kReason, kIntegrity}, "3.4");
      w.require(kHandle, 1, "Client Handle");
      w.require(kReason, 1, "Reason");
      w.take(kIntegrity);
      w.finish();
      break;
    }
    case kSSQ:
    case kSSC: {
      Walk w(m, out, {kHandle, kIntegrity}, m.opcode == kSSQ ? "3.5" : "3.10");
      w.take(kHandle);
      w.take(kIntegrity);
      w.finish();
      break;
    }
    case kOPN: {
      Walk w(m, out, {kPepId, kClientSI, kLastPdp, kIntegrity}, "3.6");
      w.require(kPepId, 1, "PEP Identification");
      w.take(kClientSI);
      w.take(kLastPdp);
      w.take(kIntegrity);
      w.finish();
      break;
    }
    case kCAT: {
      Walk w(m, out, {kKATimer, kAcctTimer, kIntegrity}, "3.7");
      w.require(kKATimer, 1, "Keep-Alive Timer");
      w.take(kAcctTimer);
      w.take(kIntegrity);
      w.finish();
      break;
    }
    case kCC: {
      Walk w(m, out, {kError, kPdpRedirect, kIntegrity}, "3.8");
      w.require(kError, 1, "Error");
      w.take(kPdpRedirect);
      w.take(kIntegrity);
      w.finish();
      break;
    }
    case kKA: {
      Walk w(m, out, {kIntegrity}, "3.9");
      w.take(kIntegrity);
      w.finish();
      if (m.client_type != kClientTypeNone)
        out.problem(ProblemId::kKaClientTypeNonzero, 2, 2, "KA with a non-zero Client-Type (RFC 2748 3.9: must be 0)");
      break;
    }
    default: break;  // unknown op-code: reported by the decoder
  }
  // RFC 4261 3: client-type 0 negotiates connection security (OPN/CAT/CC) and
  // carries KA; no request state lives under it.
  bool stateful = m.opcode == kREQ || m.opcode == kDEC || m.opcode == kRPT || m.opcode == kDRQ || m.opcode == kSSQ ||
                  m.opcode == kSSC;
  if (stateful && m.client_type == kClientTypeNone)
    out.problem(ProblemId::kMessageClientTypeZero, 2, 2,
                std::string(opcode_abbrev(m.opcode)) +
                    " with client-type 0, which only KA and the RFC 4261 security "
                    "negotiation (OPN/CAT/CC) use");
}

}  // namespace quartet::cops
