#include "timeline.hpp"

namespace quartet::analyzer {

std::string_view entry_kind_name(EntryKind k) {
  switch (k) {
    case EntryKind::TcpOpen: return "tcp_open";
    case EntryKind::TcpFin: return "tcp_fin";
    case EntryKind::TcpClose: return "tcp_close";
    case EntryKind::TcpReset: return "tcp_reset";
    case EntryKind::Gap: return "gap";
    case EntryKind::TlsStart: return "tls_start";
    case EntryKind::Tls: return "tls";
    case EntryKind::Phase: return "phase";
    case EntryKind::Info: return "info";
    case EntryKind::Warning: return "warning";
  }
  return "?";
}

}  // namespace quartet::analyzer
