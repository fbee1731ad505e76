#include "validate.hpp"

#include <initializer_list>

#include "../message.hpp"
#include "../names.hpp"
#include "../problems.hpp"
#include "names.hpp"

namespace quartet::cops::packetcable {
namespace {

struct Grammar {
  uint16_t cmd;
  bool from_pdp;  // carried in DEC (else in RPT)
  std::initializer_list<uint8_t> mandatory;
};

// PKT-SP-MM-I05 6.4.3.2 (Policy Server <-> CMTS). PDP-Config and Synch-Request
// also need an AMID or a PSID; checked below.
const Grammar kPcmm[] = {
    {kGateSet, true, {kSnTransactionId, kSnAmid, kSnSubscriberId, kSnGateSpec, kSnTrafficProfile, kSnClassifier}},
    {kGateSetAck, false, {kSnTransactionId, kSnAmid, kSnSubscriberId, kSnGateId}},
    {kGateSetErr, false, {kSnTransactionId, kSnAmid, kSnSubscriberId, kSnError}},
    {kGateInfo, true, {kSnTransactionId, kSnAmid, kSnSubscriberId, kSnGateId}},
    {kGateInfoAck,
     false,
     {kSnTransactionId, kSnAmid, kSnSubscriberId, kSnGateId, kSnGateSpec, kSnClassifier, kSnTrafficProfile,
      kSnGateTimeInfo, kSnGateUsageInfo, kSnGateState}},
    {kGateInfoErr, false, {kSnTransactionId, kSnAmid, kSnGateId, kSnError}},
    {kGateDelete, true, {kSnTransactionId, kSnAmid, kSnSubscriberId, kSnGateId}},
    {kGateDeleteAck, false, {kSnTransactionId, kSnAmid, kSnGateId}},
    {kGateDeleteErr, false, {kSnTransactionId, kSnAmid, kSnGateId, kSnError}},
    {kGateReportState,
     false,
     {kSnTransactionId, kSnAmid, kSnSubscriberId, kSnGateId, kSnGateState, kSnGateTimeInfo, kSnGateUsageInfo}},
    {kGateCmdErr, false, {kSnTransactionId, kSnAmid, kSnError}},
    {kPdpConfig, true, {kSnTransactionId}},
    {kPdpConfigAck, false, {kSnTransactionId}},
    {kPdpConfigErr, false, {kSnTransactionId, kSnError}},
    {kSynchRequest, true, {kSnTransactionId, kSnSynchOptions}},
    {kSynchReport,
     false,
     {kSnTransactionId, kSnAmid, kSnSubscriberId, kSnGateId, kSnGateState, kSnGateTimeInfo, kSnGateUsageInfo}},
    {kSynchComplete, false, {kSnTransactionId}},
    {kMsgReceipt, true, {kSnTransactionId, kSnMsgReceiptKey}},
};

// DQoS: which side sends what (no object grammar was available).
bool dqos_from_pdp(uint16_t cmd) {
  return cmd == kGateAlloc || cmd == kGateSet || cmd == kGateInfo || cmd == kGateDelete;
}

void violation(Decoded& out, ProblemId id, std::string text) { out.problem(id, 0, 0, std::move(text)); }

// The problem for a PCMM command missing one of its mandatory objects: Gate-Set's
// GateSpec, Traffic Profile and Classifier have their own ids.
ProblemId missing_object(uint16_t cmd, uint8_t snum) {
  if (cmd == kGateSet) {
    if (snum == kSnGateSpec) return ProblemId::kPcmmGateSetMissingGateSpec;
    if (snum == kSnTrafficProfile) return ProblemId::kPcmmGateSetMissingTrafficProfile;
    if (snum == kSnClassifier) return ProblemId::kPcmmGateSetMissingClassifier;
  }
  return ProblemId::kPcmmCommandObjectMissing;
}

}  // namespace

void validate(const Message& m, Decoded& out) {
  if (!m.gate || (m.opcode != kDEC && m.opcode != kRPT)) return;
  const GateMessage& g = *m.gate;
  const char* spec = g.pcmm() ? "PKT-SP-MM-I05 6.4.3.2" : "PacketCable DQoS";
  if (!g.has(1)) {
    violation(out, ProblemId::kPktcTransIdMissing,
              std::string(g.pcmm() ? "PCMM" : "DQoS") + " data without a TransactionID: the receiver discards it (" +
                  (g.pcmm() ? "PKT-SP-MM-I05 6.5.2" : spec) + ")");
    return;
  }
  if (!g.cmd) return;
  std::string cmd = cmd_label(g.pcmm(), *g.cmd);
  if (g.error_code)
    out.problem(ProblemId::kPktcErrorReply, 0, 0,
                cmd + " trans=" + std::to_string(g.trans_id.value_or(0)) + ": " + error_label(g.pcmm(), *g.error_code));
  bool in_dec = m.opcode == kDEC;
  if (!g.pcmm()) {
    if (name_of(dqos_cmd_names(), *g.cmd) && dqos_from_pdp(*g.cmd) != in_dec)
      violation(out, ProblemId::kPktcWrongMessage,
                cmd + " carried in " + (in_dec ? "a DEC" : "an RPT") + ": it is sent by the " +
                    (in_dec ? "CMTS in an RPT" : "CMS in a DEC"));
    return;
  }
  const Grammar* gr = nullptr;
  for (const Grammar& x : kPcmm)
    if (x.cmd == *g.cmd) gr = &x;
  if (!gr) return;  // unknown command: the decoder reported it
  if (gr->from_pdp != in_dec)
    violation(out, ProblemId::kPktcWrongMessage,
              cmd + " carried in " + (in_dec ? "a DEC" : "an RPT") + ": the " +
                  (gr->from_pdp ? "Policy Server sends it in a DEC" : "CMTS sends it in an RPT") + " (" + spec + ")");
  for (uint8_t snum : gr->mandatory)
    if (!g.has(snum))
      violation(out, missing_object(*g.cmd, snum),
                cmd + " without " + name_of(pcmm_snum_names(), snum) + " (" + spec + ")");
  if ((*g.cmd == kPdpConfig || *g.cmd == kSynchRequest) && !g.has(kSnAmid) && !g.has(kSnPsid))
    violation(out, ProblemId::kPcmmAmidOrPsidMissing, cmd + " without AMID or PSID (PKT-SP-MM-I05 6.5.15.1)");
  if ((*g.cmd == kGateReportState || *g.cmd == kMsgReceipt) && g.trans_id && *g.trans_id != 0)
    violation(
        out, ProblemId::kPcmmTransIdNonzero,
        cmd + " with Transaction Identifier " + std::to_string(*g.trans_id) + " (PKT-SP-MM-I05 6.4.2.1: must be 0)");
}

}  // namespace quartet::cops::packetcable
