#include "names.hpp"

namespace quartet::cops::packetcable {

#define TABLE(fn, ...)                              \
  std::span<const ValueName> fn() {                 \
    static constexpr ValueName t[] = {__VA_ARGS__}; \
    return t;                                       \
  }

TABLE(pcmm_snum_names, {1, "TransactionID"}, {2, "AMID"}, {3, "SubscriberID"}, {4, "GateID"}, {5, "GateSpec"},
      {6, "Classifier"}, {7, "Traffic Profile"}, {8, "Event Generation Info"}, {9, "Volume-Based Usage Limit"},
      {10, "Time-Based Usage Limit"}, {11, "Opaque Data"}, {12, "Gate Time Info"}, {13, "Gate Usage Info"},
      {14, "PacketCable Error"}, {15, "Gate State"}, {16, "Version Info"}, {17, "PSID"}, {18, "Synch Options"},
      {19, "Msg Receipt Key"}, {21, "UserID"}, {22, "SharedResourceID"})

TABLE(dqos_snum_names, {1, "Transaction ID"}, {2, "Subscriber ID"}, {3, "Gate ID"}, {4, "Activity Count"},
      {5, "Gate Spec"}, {6, "Remote Gate Info"}, {7, "Event Generation Info"}, {8, "Media Connection Event Info"},
      {9, "PacketCable Error"}, {10, "Electronic Surveillance Parameters"}, {11, "Session Description Parameters"},
      {13, "PacketCable Reason"})

// PKT-SP-MM-I05 6.4.2.1. 1-3 and 13-14 are reserved in PCMM (Wireshark names
// 13/14 Gate-Open/Gate-Close after DQoS; see the README's exception list).
TABLE(pcmm_cmd_names, {4, "Gate-Set"}, {5, "Gate-Set-Ack"}, {6, "Gate-Set-Err"}, {7, "Gate-Info"}, {8, "Gate-Info-Ack"},
      {9, "Gate-Info-Err"}, {10, "Gate-Delete"}, {11, "Gate-Delete-Ack"}, {12, "Gate-Delete-Err"},
      {15, "Gate-Report-State"}, {16, "Gate-Cmd-Err"}, {17, "PDP-Config"}, {18, "PDP-Config-Ack"},
      {19, "PDP-Config-Err"}, {20, "Synch-Request"}, {21, "Synch-Report"}, {22, "Synch-Complete"}, {23, "Msg-Receipt"})

TABLE(dqos_cmd_names, {1, "Gate-Alloc"}, {2, "Gate-Alloc-Ack"}, {3, "Gate-Alloc-Err"}, {4, "Gate-Set"},
      {5, "Gate-Set-Ack"}, {6, "Gate-Set-Err"}, {7, "Gate-Info"}, {8, "Gate-Info-Ack"}, {9, "Gate-Info-Err"},
      {10, "Gate-Delete"}, {11, "Gate-Delete-Ack"}, {12, "Gate-Delete-Err"}, {13, "Gate-Open"}, {14, "Gate-Close"})

// PKT-SP-MM-I05 6.4.2.14 (Wireshark differs for 20-23 and stops at 23).
TABLE(pcmm_error_names, {1, "Insufficient Resources"}, {2, "Unknown GateID"}, {6, "Missing Required Object"},
      {7, "Invalid Object"}, {8, "Volume Based Usage Limit Exceeded"}, {9, "Time Based Usage Limit Exceeded"},
      {10, "Session Class Limit Exceeded"}, {11, "Undefined Service Class Name"}, {12, "Incompatible Envelope"},
      {13, "Invalid SubscriberID"}, {14, "Unauthorized AMID"}, {15, "Number of Classifiers Not Supported"},
      {16, "Policy Exception"}, {17, "Invalid Field Value in Object"}, {18, "Transport Error"},
      {19, "Unknown Gate Command"}, {20, "DOCSIS 1.0 CM"}, {21, "Number of SIDs exceeded in CM"},
      {22, "Number of SIDs exceeded in CMTS"}, {23, "Unauthorized PSID"}, {24, "No State for PDP"},
      {25, "Unsupported Synch Type"}, {26, "State Data Incomplete"}, {27, "Upstream Drop Unsupported"},
      {28, "Multicast Gate Error"}, {29, "Multicast Volume Limit Unsupported"},
      {30, "Uncommitted Multicast Not Supported"}, {31, "Multicast Gate Modification Not Supported"},
      {32, "Upstream Multicast Not Supported"}, {33, "Multicast GateSpec incompatibility"}, {34, "Multicast QoS Error"},
      {35, "Multicast Downstream Resequencing mismatch"}, {127, "Other, Unspecified Error"})

TABLE(dqos_error_names, {1, "No gates currently available"}, {2, "Unknown Gate ID"}, {3, "Illegal Session Class value"},
      {4, "Subscriber exceeded gate limit"}, {5, "Gate already set"}, {6, "Missing Required Object"},
      {7, "Invalid Object"}, {127, "Unspecified error"})

TABLE(gate_state_names, {1, "Idle/Closed"}, {2, "Authorized"}, {3, "Reserved"}, {4, "Committed"},
      {5, "Committed-Recovery"})

TABLE(gate_state_reason_names, {1, "Close initiated by CMTS due to reservation reassignment"},
      {2, "Close initiated by CMTS due to lack of DOCSIS MAC-layer responses"},
      {3, "Close initiated by CMTS due to timer T1 expiration"},
      {4, "Close initiated by CMTS due to timer T2 expiration"},
      {5, "Inactivity timer expired due to Service Flow inactivity (timer T3 expiration)"},
      {6, "Close initiated by CMTS due to lack of Reservation Maintenance"},
      {7, "Gate state unchanged, but volume limit reached"}, {8, "Close initiated by CMTS due to timer T4 expiration"},
      {9, "Gate state unchanged, but timer T2 expiration caused reservation reduction"},
      {10, "Gate state unchanged, but time limit reached"},
      {11, "Close initiated by Policy Server or CMTS, volume limit reached"},
      {12, "Close initiated by Policy Server or CMTS, time limit reached"}, {13, "Close initiated by CMTS, other"},
      {14, "Gate state unchanged, but SharedResourceID updated"},
      {15, "Close initiated by CMTS due to loss of shared resource"}, {65535, "Other"})

TABLE(envelope_names, {1, "Authorized"}, {3, "Authorized+Reserved"}, {7, "Authorized+Reserved+Committed"})
TABLE(service_number_names, {2, "Guaranteed Service"}, {5, "Controlled Load Service"})
TABLE(classifier_activation_names, {0, "Inactive"}, {1, "Active"})
TABLE(classifier_action_names, {0, "Add classifier"}, {1, "Replace classifier"}, {2, "Delete classifier"},
      {3, "No change"})
TABLE(synch_report_type_names, {0, "Standard Report Data"}, {1, "Complete Gate Data"})
TABLE(synch_type_names, {0, "Full Synchronization"}, {1, "Incremental Synchronization"})
TABLE(direction_names, {0, "Downstream"}, {1, "Upstream"})
TABLE(dqos_session_class_names, {0, "Unspecified"}, {1, "Normal priority VoIP session"},
      {2, "High priority VoIP session"}, {3, "Reserved"})
TABLE(dqos_reason_names, {0, "Gate Delete Operation"}, {1, "Gate Close Operation"})
TABLE(dqos_reason_delete_subcode_names, {0, "Normal Operation"}, {1, "Local Gate-coordination not completed"},
      {2, "Remote Gate-coordination not completed"}, {3, "Authorization revoked"}, {4, "Unexpected Gate-Open"},
      {5, "Local Gate-Close failure"}, {127, "Unspecified error"})
TABLE(dqos_reason_close_subcode_names, {0, "Client initiated release (normal operation)"},
      {1, "Reservation reassignment"}, {2, "Lack of reservation maintenance (e.g., RSVP refreshes)"},
      {3, "Lack of DOCSIS Mac-layer responses (e.g., station maintenance)"},
      {4, "Timer T0 expiration; no Gate-Set received from CMS"},
      {5, "Timer T1 expiration; no Commit received from MTA"},
      {6, "Timer T7 expiration; Service Flow reservation timeout"},
      {7, "Timer T8 expiration; Service Flow inactivity in the upstream direction"}, {127, "Unspecified error"})
TABLE(downstream_resequencing_names, {0, "Use sequence numbers"}, {1, "Do not use sequence numbers"})

#undef TABLE

std::string cmd_label(bool pcmm, uint16_t cmd) {
  if (const char* n = name_of(pcmm ? pcmm_cmd_names() : dqos_cmd_names(), cmd)) return n;
  return "Gate command " + std::to_string(cmd);
}

std::string error_label(bool pcmm, uint16_t code) {
  const char* n = name_of(pcmm ? pcmm_error_names() : dqos_error_names(), code);
  return std::string(n ? n : "error") + " (" + std::to_string(code) + ")";
}

}  // namespace quartet::cops::packetcable
