// Value tables of PacketCable's client-specific COPS objects: PCMM (client-type
// 0x800A, PKT-SP-MM-I05) and DQoS (0x8008, as Wireshark and Asterisk decode it).
// Sources and disagreements: /work/shared/specs/packetcable-notes.md, summed up
// in core/cops/README.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "../../common/field.hpp"

namespace quartet::cops::packetcable {

// PCMM S-Nums (PKT-SP-MM-I05 6.4.2).
enum PcmmSNum : uint8_t {
  kSnTransactionId = 1,
  kSnAmid = 2,
  kSnSubscriberId = 3,
  kSnGateId = 4,
  kSnGateSpec = 5,
  kSnClassifier = 6,
  kSnTrafficProfile = 7,
  kSnEventGenInfo = 8,
  kSnVolumeLimit = 9,
  kSnTimeLimit = 10,
  kSnOpaqueData = 11,
  kSnGateTimeInfo = 12,
  kSnGateUsageInfo = 13,
  kSnError = 14,
  kSnGateState = 15,
  kSnVersionInfo = 16,
  kSnPsid = 17,
  kSnSynchOptions = 18,
  kSnMsgReceiptKey = 19,
  kSnUserId = 21,
  kSnSharedResourceId = 22,
};

// DQoS S-Nums (Wireshark packet-cops.c after PKT-SP-DQOS-I09, Asterisk res_pktccops.c).
enum DqosSNum : uint8_t {
  kDqosSnTransactionId = 1,
  kDqosSnSubscriberId = 2,
  kDqosSnGateId = 3,
  kDqosSnActivityCount = 4,
  kDqosSnGateSpec = 5,
  kDqosSnRemoteGateInfo = 6,
  kDqosSnEventGenInfo = 7,
  kDqosSnMediaConnEventInfo = 8,
  kDqosSnError = 9,
  kDqosSnElectronicSurveillance = 10,
  kDqosSnSessionDescription = 11,
  kDqosSnReason = 13,
};

// PCMM Gate Command Types (TransactionID, S-Num 1).
enum PcmmCmd : uint16_t {
  kGateSet = 4,
  kGateSetAck = 5,
  kGateSetErr = 6,
  kGateInfo = 7,
  kGateInfoAck = 8,
  kGateInfoErr = 9,
  kGateDelete = 10,
  kGateDeleteAck = 11,
  kGateDeleteErr = 12,
  kGateReportState = 15,
  kGateCmdErr = 16,
  kPdpConfig = 17,
  kPdpConfigAck = 18,
  kPdpConfigErr = 19,
  kSynchRequest = 20,
  kSynchReport = 21,
  kSynchComplete = 22,
  kMsgReceipt = 23,
};

// DQoS Gate Command Types; 4..12 are the same numbers as PCMM.
enum DqosCmd : uint16_t {
  kGateAlloc = 1,
  kGateAllocAck = 2,
  kGateAllocErr = 3,
  kGateOpen = 13,
  kGateClose = 14,
};

std::span<const ValueName> pcmm_snum_names();
std::span<const ValueName> dqos_snum_names();

std::span<const ValueName> pcmm_cmd_names();  // "Gate-Set"
std::span<const ValueName> dqos_cmd_names();
std::span<const ValueName> pcmm_error_names();  // PKT-SP-MM-I05 6.4.2.14
std::span<const ValueName> dqos_error_names();
std::span<const ValueName> gate_state_names();  // 1 Idle/Closed .. 5 Committed-Recovery
std::span<const ValueName> gate_state_reason_names();
std::span<const ValueName> envelope_names();        // 1 / 3 / 7
std::span<const ValueName> service_number_names();  // Flow Spec: 2 Guaranteed, 5 Controlled Load
std::span<const ValueName> classifier_activation_names();
std::span<const ValueName> classifier_action_names();
std::span<const ValueName> synch_report_type_names();
std::span<const ValueName> synch_type_names();
std::span<const ValueName> direction_names();  // 0 downstream, 1 upstream
std::span<const ValueName> dqos_session_class_names();
std::span<const ValueName> dqos_reason_names();
std::span<const ValueName> dqos_reason_delete_subcode_names();
std::span<const ValueName> dqos_reason_close_subcode_names();
std::span<const ValueName> downstream_resequencing_names();

// "Gate-Set" or "Gate command 99".
std::string cmd_label(bool pcmm, uint16_t cmd);
// "Insufficient Resources (1)" or "error 99".
std::string error_label(bool pcmm, uint16_t code);

}  // namespace quartet::cops::packetcable
