#include "timeline.hpp"

namespace quartet::analyzer {

const char* event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::TcpOpen: return "tcp_open";
    case EventKind::TcpFin: return "tcp_fin";
    case EventKind::TcpClose: return "tcp_close";
    case EventKind::TcpReset: return "tcp_reset";
    case EventKind::Gap: return "gap";
    case EventKind::TlsStart: return "tls_start";
    case EventKind::Tls: return "tls";
    case EventKind::Phase: return "phase";
    case EventKind::Info: return "info";
    case EventKind::Warning: return "warning";
  }
  return "?";
}

}  // namespace quartet::analyzer
