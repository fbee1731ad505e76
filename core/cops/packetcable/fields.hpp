// PacketCable fields of the copsx field table. They follow the COPS fields
// (ids from cops::kFieldCount on) so that one protocol keeps one table; the
// list below is the single source of the ids, abbrevs, labels and types.
// Abbrevs: "pcmm.<object>.<field>" for PCMM (0x800A), "dqos.<...>" for DQoS
// (0x8008), "pktc.bcid.*" for the Billing Correlation ID both carry,
// "gate.*" for what the session machine learns about gates.
#pragma once

#include <span>

#include "../../common/field.hpp"
#include "../fields.hpp"

namespace quartet::cops::packetcable {

// X(id, abbrev, label, type, base, names, bitmask, width)
#define QUARTET_PKTC_FIELDS(X)                                                                                         \
  /* S-object headers */                                                                                               \
  X(kPcmmObject, "pcmm.object", "PCMM Object", Group, None, {}, 0, 0)                                                  \
  X(kPcmmObjectLength, "pcmm.object.length", "S-Length", UInt16, Dec, {}, 0, 0)                                        \
  X(kPcmmObjectSNum, "pcmm.object.snum", "S-Num", UInt8, Dec, pcmm_snum_names(), 0, 0)                                 \
  X(kPcmmObjectSType, "pcmm.object.stype", "S-Type", UInt8, Dec, {}, 0, 0)                                             \
  X(kPcmmObjectData, "pcmm.object.data", "Undecoded object data", Octets, None, {}, 0, 0)                              \
  X(kPcmmObjectPadding, "pcmm.object.padding", "Padding", Octets, None, {}, 0, 0)                                      \
  X(kDqosObject, "dqos.object", "DQoS Object", Group, None, {}, 0, 0)                                                  \
  X(kDqosObjectLength, "dqos.object.length", "S-Length", UInt16, Dec, {}, 0, 0)                                        \
  X(kDqosObjectSNum, "dqos.object.snum", "S-Num", UInt8, Dec, dqos_snum_names(), 0, 0)                                 \
  X(kDqosObjectSType, "dqos.object.stype", "S-Type", UInt8, Dec, {}, 0, 0)                                             \
  X(kDqosObjectData, "dqos.object.data", "Undecoded object data", Octets, None, {}, 0, 0)                              \
  X(kDqosObjectPadding, "dqos.object.padding", "Padding", Octets, None, {}, 0, 0)                                      \
  /* PCMM */                                                                                                           \
  X(kPcmmTransId, "pcmm.trans_id", "Transaction Identifier", UInt16, Dec, {}, 0, 0)                                    \
  X(kPcmmCmd, "pcmm.cmd", "Gate Command Type", UInt16, Dec, pcmm_cmd_names(), 0, 0)                                    \
  X(kPcmmAmidAppType, "pcmm.amid.app_type", "Application Type", UInt16, Dec, {}, 0, 0)                                 \
  X(kPcmmAmidTag, "pcmm.amid.am_tag", "Application Manager Tag", UInt16, Dec, {}, 0, 0)                                \
  X(kPcmmSubscriberIpv4, "pcmm.subscriber.ipv4", "Subscriber ID (IPv4)", IPv4, None, {}, 0, 0)                         \
  X(kPcmmSubscriberIpv6, "pcmm.subscriber.ipv6", "Subscriber ID (IPv6)", IPv6, None, {}, 0, 0)                         \
  X(kPcmmGateId, "pcmm.gate_id", "Gate ID", UInt32, Hex, {}, 0, 0)                                                     \
  X(kPcmmGsFlags, "pcmm.gatespec.flags", "Flags", UInt8, Hex, {}, 0, 0)                                                \
  X(kPcmmGsDirection, "pcmm.gatespec.flags.direction", "Direction", UInt8, Dec, direction_names(), 0x01, 8)            \
  X(kPcmmGsDscpEnable, "pcmm.gatespec.flags.dscp_overwrite", "DSCP/TOS overwrite", Bool, None, {}, 0x02, 8)            \
  X(kPcmmGsDscpTos, "pcmm.gatespec.dscp_tos", "DSCP/TOS Field", UInt8, Hex, {}, 0, 0)                                  \
  X(kPcmmGsDscpTosMask, "pcmm.gatespec.dscp_tos_mask", "DSCP/TOS Mask", UInt8, Hex, {}, 0, 0)                          \
  X(kPcmmGsSessionClass, "pcmm.gatespec.session_class", "SessionClassID", UInt8, Hex, {}, 0, 0)                        \
  X(kPcmmGsPriority, "pcmm.gatespec.session_class.priority", "Priority", UInt8, Dec, {}, 0x07, 8)                      \
  X(kPcmmGsPreemption, "pcmm.gatespec.session_class.preemption", "Preemption", Bool, None, {}, 0x08, 8)                \
  X(kPcmmGsConfigurable, "pcmm.gatespec.session_class.configurable", "Configurable", UInt8, Dec, {}, 0xf0, 8)          \
  X(kPcmmGsT1, "pcmm.gatespec.t1", "Timer T1 (s)", UInt16, Dec, {}, 0, 0)                                              \
  X(kPcmmGsT2, "pcmm.gatespec.t2", "Timer T2 (s)", UInt16, Dec, {}, 0, 0)                                              \
  X(kPcmmGsT3, "pcmm.gatespec.t3", "Timer T3 (s)", UInt16, Dec, {}, 0, 0)                                              \
  X(kPcmmGsT4, "pcmm.gatespec.t4", "Timer T4 (s)", UInt16, Dec, {}, 0, 0)                                              \
  X(kPcmmClsProtocol, "pcmm.classifier.protocol", "Protocol ID", UInt16, Dec, {}, 0, 0)                                \
  X(kPcmmClsDscpTos, "pcmm.classifier.dscp_tos", "DSCP/TOS Field", UInt8, Hex, {}, 0, 0)                               \
  X(kPcmmClsDscpTosMask, "pcmm.classifier.dscp_tos_mask", "DSCP/TOS Mask", UInt8, Hex, {}, 0, 0)                       \
  X(kPcmmClsSrcIpv4, "pcmm.classifier.src_ipv4", "Source IP Address", IPv4, None, {}, 0, 0)                            \
  X(kPcmmClsSrcMask, "pcmm.classifier.src_mask", "Source IP Mask", IPv4, None, {}, 0, 0)                               \
  X(kPcmmClsDstIpv4, "pcmm.classifier.dst_ipv4", "Destination IP Address", IPv4, None, {}, 0, 0)                       \
  X(kPcmmClsDstMask, "pcmm.classifier.dst_mask", "Destination IP Mask", IPv4, None, {}, 0, 0)                          \
  X(kPcmmClsSrcPort, "pcmm.classifier.src_port", "Source Port (Start)", UInt16, Dec, {}, 0, 0)                         \
  X(kPcmmClsSrcPortEnd, "pcmm.classifier.src_port_end", "Source Port End", UInt16, Dec, {}, 0, 0)                      \
  X(kPcmmClsDstPort, "pcmm.classifier.dst_port", "Destination Port (Start)", UInt16, Dec, {}, 0, 0)                    \
  X(kPcmmClsDstPortEnd, "pcmm.classifier.dst_port_end", "Destination Port End", UInt16, Dec, {}, 0, 0)                 \
  X(kPcmmClsId, "pcmm.classifier.id", "ClassifierID", UInt16, Dec, {}, 0, 0)                                           \
  X(kPcmmClsPriority, "pcmm.classifier.priority", "Priority", UInt8, Dec, {}, 0, 0)                                    \
  X(kPcmmClsActivation, "pcmm.classifier.activation", "Activation State", UInt8, Dec, classifier_activation_names(),   \
    0, 0)                                                                                                              \
  X(kPcmmClsAction, "pcmm.classifier.action", "Action", UInt8, Dec, classifier_action_names(), 0, 0)                   \
  X(kPcmmClsFlags, "pcmm.classifier.flags", "Flags", UInt8, Hex, {}, 0, 0)                                             \
  X(kPcmmClsFlowLabelEnable, "pcmm.classifier.flags.flow_label", "Flow Label enable", Bool, None, {}, 0x01, 8)         \
  X(kPcmmClsTcLow, "pcmm.classifier.tc_low", "tc-low", UInt8, Hex, {}, 0, 0)                                           \
  X(kPcmmClsTcHigh, "pcmm.classifier.tc_high", "tc-high", UInt8, Hex, {}, 0, 0)                                        \
  X(kPcmmClsTcMask, "pcmm.classifier.tc_mask", "tc-mask", UInt8, Hex, {}, 0, 0)                                        \
  X(kPcmmClsFlowLabel, "pcmm.classifier.flow_label", "Flow Label", UInt32, Hex, {}, 0x000fffff, 32)                    \
  X(kPcmmClsNextHeader, "pcmm.classifier.next_header", "Next Header Type", UInt16, Dec, {}, 0, 0)                      \
  X(kPcmmClsSrcPrefixLen, "pcmm.classifier.src_prefix_len", "Source Prefix Length", UInt8, Dec, {}, 0, 0)              \
  X(kPcmmClsDstPrefixLen, "pcmm.classifier.dst_prefix_len", "Destination Prefix Length", UInt8, Dec, {}, 0, 0)         \
  X(kPcmmClsSrcIpv6, "pcmm.classifier.src_ipv6", "IPv6 Source Address", IPv6, None, {}, 0, 0)                          \
  X(kPcmmClsDstIpv6, "pcmm.classifier.dst_ipv6", "IPv6 Destination Address", IPv6, None, {}, 0, 0)                     \
  X(kPcmmTpEnvelope, "pcmm.tp.envelope", "Envelope", UInt8, Dec, envelope_names(), 0, 0)                               \
  X(kPcmmTpLayout, "pcmm.tp.layout", "Layout (specification issue)", String, None, {}, 0, 0)                           \
  X(kPcmmTpSet, "pcmm.tp.set", "Envelope parameters", Group, None, {}, 0, 0)                                           \
  X(kPcmmTpServiceNumber, "pcmm.tp.service_number", "Service Number", UInt8, Dec, service_number_names(), 0, 0)        \
  X(kPcmmTpScn, "pcmm.tp.scn", "Service Class Name", String, None, {}, 0, 0)                                           \
  X(kPcmmTpTokenRate, "pcmm.tp.token_bucket_rate", "Token Bucket Rate (r)", String, None, {}, 0, 0)                    \
  X(kPcmmTpTokenSize, "pcmm.tp.token_bucket_size", "Token Bucket Size (b)", String, None, {}, 0, 0)                    \
  X(kPcmmTpPeakRate, "pcmm.tp.peak_data_rate", "Peak Data Rate (p)", String, None, {}, 0, 0)                           \
  X(kPcmmTpMinPolicedUnit, "pcmm.tp.min_policed_unit", "Minimum Policed Unit (m)", UInt32, Dec, {}, 0, 0)              \
  X(kPcmmTpMaxPacketSize, "pcmm.tp.max_packet_size", "Maximum Packet Size (M)", UInt32, Dec, {}, 0, 0)                 \
  X(kPcmmTpRate, "pcmm.tp.rate", "Rate (R)", String, None, {}, 0, 0)                                                   \
  X(kPcmmTpSlackTerm, "pcmm.tp.slack_term", "Slack Term (S)", UInt32, Dec, {}, 0, 0)                                   \
  X(kPcmmTpTrafficPriority, "pcmm.tp.traffic_priority", "Traffic Priority", UInt8, Dec, {}, 0, 0)                      \
  X(kPcmmTpDsResequencing, "pcmm.tp.ds_resequencing", "Downstream Resequencing", UInt8, Dec,                           \
    downstream_resequencing_names(), 0, 0)                                                                             \
  X(kPcmmTpReqTxPolicy, "pcmm.tp.req_tx_policy", "Request/Transmission Policy", UInt32, Hex, {}, 0, 0)                 \
  X(kPcmmTpMaxSustainedRate, "pcmm.tp.max_sustained_rate", "Maximum Sustained Traffic Rate", UInt32, Dec, {}, 0, 0)    \
  X(kPcmmTpMaxBurst, "pcmm.tp.max_traffic_burst", "Maximum Traffic Burst", UInt32, Dec, {}, 0, 0)                      \
  X(kPcmmTpMinReservedRate, "pcmm.tp.min_reserved_rate", "Minimum Reserved Traffic Rate", UInt32, Dec, {}, 0, 0)       \
  X(kPcmmTpMinReservedPacket, "pcmm.tp.min_reserved_packet_size", "Assumed Minimum Reserved Traffic Rate Packet Size", \
    UInt16, Dec, {}, 0, 0)                                                                                             \
  X(kPcmmTpMaxConcatBurst, "pcmm.tp.max_concat_burst", "Maximum Concatenated Burst", UInt16, Dec, {}, 0, 0)            \
  X(kPcmmTpNominalPolling, "pcmm.tp.nominal_polling_interval", "Nominal Polling Interval", UInt32, Dec, {}, 0, 0)      \
  X(kPcmmTpPollJitter, "pcmm.tp.tolerated_poll_jitter", "Tolerated Poll Jitter", UInt32, Dec, {}, 0, 0)                \
  X(kPcmmTpGrantSize, "pcmm.tp.unsolicited_grant_size", "Unsolicited Grant Size", UInt16, Dec, {}, 0, 0)               \
  X(kPcmmTpGrantsPerInterval, "pcmm.tp.grants_per_interval", "Grants per Interval", UInt8, Dec, {}, 0, 0)              \
  X(kPcmmTpNominalGrant, "pcmm.tp.nominal_grant_interval", "Nominal Grant Interval", UInt32, Dec, {}, 0, 0)            \
  X(kPcmmTpGrantJitter, "pcmm.tp.tolerated_grant_jitter", "Tolerated Grant Jitter", UInt32, Dec, {}, 0, 0)             \
  X(kPcmmTpMaxDsLatency, "pcmm.tp.max_ds_latency", "Maximum Downstream Latency", UInt32, Dec, {}, 0, 0)                \
  X(kPcmmTpDsPeakRate, "pcmm.tp.ds_peak_rate", "Downstream Peak Traffic Rate", UInt32, Dec, {}, 0, 0)                  \
  X(kPcmmTpRequiredAttr, "pcmm.tp.required_attr_mask", "Required Attribute Mask", UInt32, Hex, {}, 0, 0)               \
  X(kPcmmTpForbiddenAttr, "pcmm.tp.forbidden_attr_mask", "Forbidden Attribute Mask", UInt32, Hex, {}, 0, 0)            \
  X(kPcmmTpAttrAggregation, "pcmm.tp.attr_aggregation_mask", "Attribute Aggregation Rule Mask", UInt32, Hex, {}, 0, 0) \
  X(kPcmmEgiPrimaryIpv4, "pcmm.egi.primary_rks_ipv4", "Primary RKS IP Address", IPv4, None, {}, 0, 0)                  \
  X(kPcmmEgiPrimaryIpv6, "pcmm.egi.primary_rks_ipv6", "Primary RKS IPv6 Address", IPv6, None, {}, 0, 0)                \
  X(kPcmmEgiPrimaryPort, "pcmm.egi.primary_rks_port", "Primary RKS Port", UInt16, Dec, {}, 0, 0)                       \
  X(kPcmmEgiSecondaryIpv4, "pcmm.egi.secondary_rks_ipv4", "Secondary RKS IP Address", IPv4, None, {}, 0, 0)            \
  X(kPcmmEgiSecondaryIpv6, "pcmm.egi.secondary_rks_ipv6", "Secondary RKS IPv6 Address", IPv6, None, {}, 0, 0)          \
  X(kPcmmEgiSecondaryPort, "pcmm.egi.secondary_rks_port", "Secondary RKS Port", UInt16, Dec, {}, 0, 0)                 \
  X(kPktcBcid, "pktc.bcid", "Billing Correlation ID", Group, None, {}, 0, 0)                                           \
  X(kPktcBcidTimestamp, "pktc.bcid.timestamp", "BCID Timestamp", UInt32, DecHex, {}, 0, 0)                             \
  X(kPktcBcidElementId, "pktc.bcid.element_id", "BCID Element ID", String, None, {}, 0, 0)                             \
  X(kPktcBcidTimeZone, "pktc.bcid.time_zone", "BCID Time Zone", String, None, {}, 0, 0)                                \
  X(kPktcBcidEventCounter, "pktc.bcid.event_counter", "BCID Event Counter", UInt32, Dec, {}, 0, 0)                     \
  X(kPcmmVolumeLimit, "pcmm.volume_limit", "Usage Limit (kilobytes)", UInt64, Dec, {}, 0, 0)                           \
  X(kPcmmTimeLimit, "pcmm.time_limit", "Time Limit (s)", UInt32, Dec, {}, 0, 0)                                        \
  X(kPcmmOpaqueData, "pcmm.opaque_data", "Opaque Data", Octets, None, {}, 0, 0)                                        \
  X(kPcmmGateTime, "pcmm.gate_time", "Gate Time Info (s)", UInt32, Dec, {}, 0, 0)                                      \
  X(kPcmmGateUsage, "pcmm.gate_usage", "Gate Usage Info (kilobytes)", UInt64, Dec, {}, 0, 0)                           \
  X(kPcmmErrorCode, "pcmm.error.code", "Error-Code", UInt16, Dec, pcmm_error_names(), 0, 0)                            \
  X(kPcmmErrorSubcode, "pcmm.error.subcode", "Error Sub-code", UInt16, Hex, {}, 0, 0)                                  \
  X(kPcmmErrorSubcodeSNum, "pcmm.error.subcode.snum", "Sub-code S-Num", UInt8, Dec, pcmm_snum_names(), 0, 0)           \
  X(kPcmmErrorSubcodeSType, "pcmm.error.subcode.stype", "Sub-code S-Type", UInt8, Dec, {}, 0, 0)                       \
  X(kPcmmGateState, "pcmm.gate_state.state", "Gate State", UInt16, Dec, gate_state_names(), 0, 0)                      \
  X(kPcmmGateStateReason, "pcmm.gate_state.reason", "Reason", UInt16, Dec, gate_state_reason_names(), 0, 0)            \
  X(kPcmmVersionMajor, "pcmm.version.major", "Major Version", UInt16, Dec, {}, 0, 0)                                   \
  X(kPcmmVersionMinor, "pcmm.version.minor", "Minor Version", UInt16, Dec, {}, 0, 0)                                   \
  X(kPcmmPsid, "pcmm.psid", "PSID", UInt32, Hex, {}, 0, 0)                                                             \
  X(kPcmmSynchReportType, "pcmm.synch.report_type", "Report Type", UInt8, Dec, synch_report_type_names(), 0, 0)        \
  X(kPcmmSynchType, "pcmm.synch.synch_type", "Synch Type", UInt8, Dec, synch_type_names(), 0, 0)                       \
  X(kPcmmMsgReceiptKey, "pcmm.msg_receipt_key", "Msg Receipt Key", UInt32, Hex, {}, 0, 0)                              \
  X(kPcmmUserId, "pcmm.user_id", "UserID", String, None, {}, 0, 0)                                                     \
  X(kPcmmSharedResourceId, "pcmm.shared_resource_id", "SharedResourceID", UInt32, Hex, {}, 0, 0)                       \
  X(kPktcReserved, "pktc.reserved", "Reserved", UInt32, Hex, {}, 0, 0)                                                 \
  /* DQoS */                                                                                                           \
  X(kDqosTransId, "dqos.trans_id", "Transaction Identifier", UInt16, Dec, {}, 0, 0)                                    \
  X(kDqosCmd, "dqos.cmd", "Gate Command Type", UInt16, Dec, dqos_cmd_names(), 0, 0)                                    \
  X(kDqosSubscriberIpv4, "dqos.subscriber.ipv4", "Subscriber ID (IPv4)", IPv4, None, {}, 0, 0)                         \
  X(kDqosSubscriberIpv6, "dqos.subscriber.ipv6", "Subscriber ID (IPv6)", IPv6, None, {}, 0, 0)                         \
  X(kDqosGateId, "dqos.gate_id", "Gate ID", UInt32, Hex, {}, 0, 0)                                                     \
  X(kDqosActivityCount, "dqos.activity_count", "Activity Count", UInt32, Dec, {}, 0, 0)                                \
  X(kDqosGsDirection, "dqos.gatespec.direction", "Direction", UInt8, Dec, direction_names(), 0, 0)                     \
  X(kDqosGsProtocol, "dqos.gatespec.protocol", "Protocol ID", UInt8, Dec, {}, 0, 0)                                    \
  X(kDqosGsFlags, "dqos.gatespec.flags", "Flags", UInt8, Hex, {}, 0, 0)                                                \
  X(kDqosGsSessionClass, "dqos.gatespec.session_class", "Session Class", UInt8, Dec, dqos_session_class_names(), 0, 0) \
  X(kDqosGsSrcIpv4, "dqos.gatespec.src_ipv4", "Source IP Address", IPv4, None, {}, 0, 0)                               \
  X(kDqosGsDstIpv4, "dqos.gatespec.dst_ipv4", "Destination IP Address", IPv4, None, {}, 0, 0)                          \
  X(kDqosGsSrcPort, "dqos.gatespec.src_port", "Source Port", UInt16, Dec, {}, 0, 0)                                    \
  X(kDqosGsDstPort, "dqos.gatespec.dst_port", "Destination Port", UInt16, Dec, {}, 0, 0)                               \
  X(kDqosGsDsField, "dqos.gatespec.ds_field", "DS Field (DSCP/TOS)", UInt8, Hex, {}, 0, 0)                             \
  X(kDqosGsT1, "dqos.gatespec.t1", "Timer T1 (s)", UInt16, Dec, {}, 0, 0)                                              \
  X(kDqosGsT7, "dqos.gatespec.t7", "Timer T7 (s)", UInt16, Dec, {}, 0, 0)                                              \
  X(kDqosGsT8, "dqos.gatespec.t8", "Timer T8 (s)", UInt16, Dec, {}, 0, 0)                                              \
  X(kDqosGsTokenRate, "dqos.gatespec.token_bucket_rate", "Token Bucket Rate (r)", String, None, {}, 0, 0)              \
  X(kDqosGsTokenSize, "dqos.gatespec.token_bucket_size", "Token Bucket Size (b)", String, None, {}, 0, 0)              \
  X(kDqosGsPeakRate, "dqos.gatespec.peak_data_rate", "Peak Data Rate (p)", String, None, {}, 0, 0)                     \
  X(kDqosGsMinPolicedUnit, "dqos.gatespec.min_policed_unit", "Minimum Policed Unit (m)", UInt32, Dec, {}, 0, 0)        \
  X(kDqosGsMaxPacketSize, "dqos.gatespec.max_packet_size", "Maximum Packet Size (M)", UInt32, Dec, {}, 0, 0)           \
  X(kDqosGsRate, "dqos.gatespec.rate", "Rate (R)", String, None, {}, 0, 0)                                             \
  X(kDqosGsSlackTerm, "dqos.gatespec.slack_term", "Slack Term (S)", UInt32, Dec, {}, 0, 0)                             \
  X(kDqosRgiCmtsIpv4, "dqos.remote_gate.cmts_ipv4", "Remote CMTS IP Address", IPv4, None, {}, 0, 0)                    \
  X(kDqosRgiCmtsPort, "dqos.remote_gate.cmts_port", "Remote CMTS Port", UInt16, Dec, {}, 0, 0)                         \
  X(kDqosRgiFlags, "dqos.remote_gate.flags", "Flags", UInt16, Hex, {}, 0, 0)                                           \
  X(kDqosRgiGateId, "dqos.remote_gate.gate_id", "Remote Gate ID", UInt32, Hex, {}, 0, 0)                               \
  X(kDqosRgiAlgorithm, "dqos.remote_gate.algorithm", "Algorithm", UInt16, Dec, {}, 0, 0)                               \
  X(kDqosRgiKey, "dqos.remote_gate.security_key", "Security Key", Octets, None, {}, 0, 0)                              \
  X(kDqosEgiPrimaryIpv4, "dqos.egi.primary_rks_ipv4", "Primary RKS IP Address", IPv4, None, {}, 0, 0)                  \
  X(kDqosEgiPrimaryPort, "dqos.egi.primary_rks_port", "Primary RKS Port", UInt16, Dec, {}, 0, 0)                       \
  X(kDqosEgiPrimaryFlags, "dqos.egi.primary_rks_flags", "Primary RKS Flags", UInt8, Hex, {}, 0, 0)                     \
  X(kDqosEgiSecondaryIpv4, "dqos.egi.secondary_rks_ipv4", "Secondary RKS IP Address", IPv4, None, {}, 0, 0)            \
  X(kDqosEgiSecondaryPort, "dqos.egi.secondary_rks_port", "Secondary RKS Port", UInt16, Dec, {}, 0, 0)                 \
  X(kDqosEgiSecondaryFlags, "dqos.egi.secondary_rks_flags", "Secondary RKS Flags", UInt8, Hex, {}, 0, 0)               \
  X(kDqosErrorCode, "dqos.error.code", "Error-Code", UInt16, Dec, dqos_error_names(), 0, 0)                            \
  X(kDqosErrorSubcode, "dqos.error.subcode", "Error Sub-code", UInt16, Hex, {}, 0, 0)                                  \
  X(kDqosEsCdcIpv4, "dqos.es.cdc_ipv4", "DF IP Address for CDC", IPv4, None, {}, 0, 0)                                 \
  X(kDqosEsCdcPort, "dqos.es.cdc_port", "DF Port for CDC", UInt16, Dec, {}, 0, 0)                                      \
  X(kDqosEsFlags, "dqos.es.flags", "Flags", UInt16, Hex, {}, 0, 0)                                                     \
  X(kDqosEsCccIpv4, "dqos.es.ccc_ipv4", "DF IP Address for CCC", IPv4, None, {}, 0, 0)                                 \
  X(kDqosEsCccPort, "dqos.es.ccc_port", "DF Port for CCC", UInt16, Dec, {}, 0, 0)                                      \
  X(kDqosEsCccId, "dqos.es.cccid", "CCCID", UInt32, Dec, {}, 0, 0)                                                     \
  X(kDqosReasonCode, "dqos.reason.code", "Reason Code", UInt16, Dec, dqos_reason_names(), 0, 0)                        \
  X(kDqosReasonSubcode, "dqos.reason.subcode", "Reason Sub Code", UInt16, Dec, {}, 0, 0)

#define QUARTET_PKTC_ENUM(id, ...) id,
enum PktcField : FieldId {
  kFirstField = cops::kFieldCount - 1,  // the next enumerator is cops::kFieldCount
  QUARTET_PKTC_FIELDS(QUARTET_PKTC_ENUM) kEndField
};
#undef QUARTET_PKTC_ENUM

// The PacketCable part of the copsx table, ids kFirstField+1 .. kEndField-1.
std::span<const FieldDef> fields();

}  // namespace quartet::cops::packetcable
