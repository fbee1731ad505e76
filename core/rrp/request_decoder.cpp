// Requests (RFC 2832 4.1, 4.3): the command line, EntityName, attributes,
// options in any order, checked against the command's grammar.
#include <bit>
#include <string>

#include "block_decoder.hpp"
#include "fields.hpp"
#include "grammar.hpp"
#include "text.hpp"
#include "values.hpp"
#include "problems.hpp"

namespace quartet::rrp {

using enum Field;

namespace {

constexpr std::string_view kDomain = "Domain";
constexpr std::string_view kNameServerEntity = "NameServer";

// Index of a one-bit mask (AttrBit/OptBit) into the per-kind counters.
size_t bit_index(uint8_t bit) { return static_cast<size_t>(std::countr_zero(bit)) & 7u; }

class RequestDecoder : public BlockDecoder {
 public:
  using BlockDecoder::BlockDecoder;

  void run(const Line& first, BlockReader& lines) {
    m_.kind = Kind::Request;
    d_.is_request = true;
    size_t group = d_.open(kRequest, 0, text_.size());
    command_line(first);
    while (std::optional<Line> l = lines.next()) body_line(*l);
    // The object a request is about: its domain, else the name server it names.
    m_.object = !domain_.empty() ? domain_ : first_name_server_;
    if (m_.command != Command::Unknown) check_shape(first);
    d_.close();
    summarize();
    if (auto* g = d_.field_at(group)) g->value = d_.keep(d_.summary);  // the tree's "Request: add example.com"
  }

 private:
  void command_line(const Line& l) {
    std::string_view word = trim(l.text);
    m_.command = command_from(word);
    if (m_.command == Command::Unknown) {
      // "add example.com": a known word with junk after it still tells what was meant.
      size_t space = word.find_first_of(" \t");
      if (space != std::string_view::npos && command_from(word.substr(0, space)) != Command::Unknown) {
        m_.command = command_from(word.substr(0, space));
        d_.problem(ProblemId::kRequestCommandExtraText, at(word) + space, word.size() - space,
                   "text after the command word (RFC 2832 4.1: the command line holds the command alone)");
        word = word.substr(0, space);
      }
    }
    if (m_.command == Command::Unknown) {
      raw_word_ = word;
      d_.add(kCommand, at(word), word.size(), word);
      if (word.empty()) d_.problem(ProblemId::kRequestCommandEmpty, l.offset, l.length, "empty command line");
      else
        d_.problem(ProblemId::kRequestCommandUnknown, at(word), word.size(),
                   "unknown command " + quoted(word) +
                       " (RFC 2832 4.3 defines ADD, CHECK, DEL, DESCRIBE, MOD, QUIT, RENEW, SESSION, STATUS, "
                       "TRANSFER; servers answer 500)");
      return;
    }
    d_.add(kCommand, at(word), word.size(), command_name(m_.command));
  }

  void body_line(const Line& l) {
    std::string_view t = trim(l.text);
    if (t.empty()) {
      d_.problem(ProblemId::kRequestEmptyLine, l.offset, l.length, "empty line inside a request");
      return;
    }
    if (t.front() == '-') return option_line(l, t);
    NameValue nv = split_line(t);
    if (!nv.has_colon) {
      d_.open(kAttribute, l.offset, l.length, trim(l.text));
      add_text(kAttrName, nv.name);
      d_.close();
      d_.problem(ProblemId::kRequestAttributeNoColon, l.offset, l.length,
                 "attribute line without ':' (expected Name:value)");
      return;
    }
    if (iequals(nv.name, "EntityName")) return entity_line(l, nv.value);
    attribute_line(l, nv);
  }

  void entity_line(const Line& l, std::string_view value) {
    if (++entity_lines_ == 2)
      d_.problem(ProblemId::kRequestEntityRepeated, l.offset, l.length, "second EntityName line; the first one counts");
    Entity e = iequals(value, kDomain)             ? Entity::Domain
               : iequals(value, kNameServerEntity) ? Entity::NameServer
                                                   : Entity::Other;
    std::string_view canonical = e == Entity::Domain ? kDomain : e == Entity::NameServer ? kNameServerEntity : value;
    d_.add(kEntity, at(value), value.size(), canonical);
    if (e == Entity::Other)
      d_.problem(ProblemId::kRequestEntityUnknown, at(value), value.size(),
                 "EntityName " + quoted(value) + " is neither Domain nor NameServer (servers answer 502)");
    if (entity_lines_ == 1) m_.entity = e;
  }

  void attribute_line(const Line& l, const NameValue& nv) {
    const NamedItem* item = request_attribute(nv.name);
    // MOD marks a value for removal with a trailing '=' (RFC 2832 4.3.5).
    bool remove = !nv.value.empty() && nv.value.back() == '=';
    std::string_view value = remove ? trim(nv.value.substr(0, nv.value.size() - 1)) : nv.value;

    d_.open(kAttribute, l.offset, l.length, trim(l.text));
    add_text(kAttrName, nv.name);
    add_text(item ? item->field : Field{kAttrValue}, value);
    if (remove) d_.add(kAttrRemove, at(nv.value) + nv.value.size() - 1, 1, uint64_t{1});
    d_.close();

    if (remove && m_.command != Command::Mod)
      d_.problem(ProblemId::kRequestRemovalOutsideMod, at(nv.value) + nv.value.size() - 1, 1,
                 "value ending in '=' (removal) outside a MOD request");
    if (!item) {
      d_.problem(ProblemId::kRequestAttributeUnknown, at(nv.name), nv.name.size(),
                 "attribute " + quoted(nv.name) + " is not defined by RFC 2832 (servers answer 503)");
      return;
    }
    ++attr_count_[bit_index(item->bit)];
    attrs_seen_ |= item->bit;
    check_value(item, value);
    if (item->bit == kAttrDomainName && domain_.empty()) domain_ = value;
    if (item->bit == kAttrNameServer) {
      if (first_name_server_.empty()) first_name_server_ = value;
      ++name_servers_;
    }
  }

  // Servers answer 505 (invalid attribute value syntax) to these.
  void check_value(const NamedItem* item, std::string_view value) {
    bool host = item->bit == kAttrDomainName || item->bit == kAttrNameServer || item->bit == kAttrNewNameServer;
    bool bad = (host && !is_host_name(value)) || (item->bit == kAttrIpAddress && !is_ip_address(value));
    if (bad)
      d_.problem(ProblemId::kRequestAddressInvalid, at(value), value.size(),
                 std::string(item->spelled) + " " + quoted(value) + " is not a valid " +
                     (host ? "host name" : "IPv4 or IPv6 address") + " (servers answer 505)");
  }

  void option_line(const Line& l, std::string_view t) {
    NameValue nv = split_line(t.substr(1));
    const NamedItem* item = option(nv.name);
    // The group shows the whole line, except for passwords (and lines without
    // ':', which may be "-Password secret"): "-Name" only.
    std::string_view name = nv.has_colon ? nv.name : name_without_value(nv.name);
    bool secret = !nv.has_colon || (item && def_of(fields(), item->field).sensitive);
    std::string_view dash_name(t.data(), static_cast<size_t>(name.data() + name.size() - t.data()));
    d_.open(kOption, l.offset, l.length, secret ? dash_name : t);
    if (!nv.has_colon) {
      add_text(kOptName, name);
      d_.close();
      d_.problem(ProblemId::kRequestOptionNoColon, l.offset, l.length,
                 "option line without ':' (expected -Name:value)");
      return;
    }
    add_text(kOptName, nv.name);
    option_value(item, nv);
    d_.close();
    if (!item) {
      d_.problem(ProblemId::kRequestOptionUnknown, at(nv.name), nv.name.size(),
                 "option -" + std::string(nv.name) + " is not defined by RFC 2832 (servers answer 501)");
      return;
    }
    if (++opt_count_[bit_index(item->bit)] == 2)
      d_.problem(ProblemId::kRequestOptionRepeated, l.offset, l.length, std::string(item->spelled) + " given twice");
    opts_seen_ |= item->bit;
  }

  // "-Password secret" (colon missing): show the name but never what follows it,
  // which may be the password itself.
  static std::string_view name_without_value(std::string_view t) {
    t = t.substr(0, t.find_first_of(" \t="));
    for (std::string_view secret : {std::string_view("newpassword"), std::string_view("password")})
      if (istarts_with(t, secret)) return t.substr(0, secret.size());
    return t;
  }

  void option_value(const NamedItem* item, const NameValue& nv) {
    std::string_view v = nv.value;
    if (!item) return add_text(kOptValue, v);
    switch (item->bit) {
      case kOptBitPeriod:
      case kOptBitExpirationYear: {
        uint64_t n = 0;
        if (!parse_decimal(v, n)) {
          add_text(kOptValue, v);
          d_.problem(ProblemId::kRequestOptionNotNumber, at(v), v.size(),
                     std::string(item->spelled) + " value " + quoted(v) + " is not a number (servers answer 506)");
          return;
        }
        d_.add(item->field, at(v), v.size(), n);
        if (item->bit == kOptBitPeriod) period_ = v;
        return;
      }
      case kOptBitApprove:
        approve_ = v;
        if (!iequals(v, "Yes") && !iequals(v, "No"))
          d_.problem(ProblemId::kRequestApproveInvalid, at(v), v.size(),
                     "-Approve must be Yes or No, not " + quoted(v));
        break;
      case kOptBitTarget:
        target_ = v;
        if (!iequals(v, "Protocol"))
          d_.problem(ProblemId::kRequestTargetUnknown, at(v), v.size(),
                     "DESCRIBE target " + quoted(v) + " (RFC 2832 4.3.4 defines only Protocol)");
        break;
      case kOptBitId: m_.registrar_id = v; break;
      case kOptBitNewPassword: m_.new_password = true; break;
      default: break;
    }
    add_text(item->field, v);
  }

  // Entity, required/allowed/repeatable attributes and options per RFC 2832 4.3.x.
  void check_shape(const Line& first) {
    const std::string command = ascii_upper(command_name(m_.command));
    const std::string section = "RFC 2832 " + std::string(section_of(m_.command));
    // "<text> (RFC 2832 4.3.1; servers answer 504)"
    auto violation = [&](std::string text, int answer = 0) {
      text += " (" + section;
      if (answer) text += "; servers answer " + std::to_string(answer);
      d_.problem(ProblemId::kRequestShapeInvalid, first.offset, first.length, std::move(text) + ")");
    };
    if (takes_entity(m_.command) && m_.entity == Entity::None)
      return violation(command + " without an EntityName line", 508);
    if (!takes_entity(m_.command) && m_.entity != Entity::None) violation(command + " takes no EntityName line");
    if (m_.entity == Entity::Other) return;
    const Shape* s = shape_of(m_.command, takes_entity(m_.command) ? m_.entity : Entity::None);
    if (!s)
      return violation(command + " is not defined for EntityName:" +
                       std::string(m_.entity == Entity::Domain ? kDomain : kNameServerEntity));
    std::string what = command + (s->entity == Entity::Domain       ? " Domain"
                                  : s->entity == Entity::NameServer ? " NameServer"
                                                                    : "");
    for (uint8_t bit = 1; bit != 0 && bit <= kAttrStatus; bit = static_cast<uint8_t>(bit << 1)) {
      std::string_view name = attribute_spelled(bit);
      size_t count = attr_count_[bit_index(bit)];
      if ((s->required_attrs & bit) && count == 0) violation(what + " without " + std::string(name), 504);
      if (count > 0 && !(s->allowed_attrs & bit)) violation(std::string(name) + " is not an attribute of " + what);
      if (count > 1 && (s->allowed_attrs & bit) && !(s->repeatable_attrs & bit))
        violation(std::string(name) + " appears " + std::to_string(count) + " times in " + what);
    }
    if (s->command == Command::Add && s->entity == Entity::Domain && name_servers_ > kMaxNameServers)
      violation(std::to_string(name_servers_) + " name servers; at most 13 per domain");
    for (uint8_t bit = 1; bit != 0 && bit <= kOptBitApprove; bit = static_cast<uint8_t>(bit << 1)) {
      std::string_view name = option_spelled(bit);
      bool seen = opts_seen_ & bit;
      if ((s->required_opts & bit) && !seen) violation(what + " without " + std::string(name), 509);
      if (seen && !(s->allowed_opts & bit)) violation(std::string(name) + " is not an option of " + what, 501);
    }
  }

  // "add example.com", "session id=registrarA", "renew example.com period=9".
  void summarize() {
    std::string& s = d_.summary;
    if (m_.command != Command::Unknown) {
      d_.name = command_name(m_.command);
      s.assign(d_.name);
    } else {
      s.assign(raw_word_);
      for (char& c : s) c = ascii_lower(c);
      d_.name = d_.keep(s);
    }
    if (!m_.object.empty()) s.append(" ").append(m_.object);
    if (!m_.registrar_id.empty()) s.append(" id=").append(m_.registrar_id);
    if (m_.new_password) s.append(" (password change)");
    if (!target_.empty()) s.append(" target=").append(target_);
    if (!approve_.empty()) s.append(" approve=").append(approve_);
    if (!period_.empty()) s.append(" period=").append(period_);
  }

  std::string_view raw_word_;
  size_t entity_lines_ = 0;
  size_t attr_count_[8] = {};
  size_t opt_count_[8] = {};
  uint8_t attrs_seen_ = 0;
  uint8_t opts_seen_ = 0;
  size_t name_servers_ = 0;
  std::string_view domain_, first_name_server_;
  std::string_view period_, target_, approve_;
};

}  // namespace

void decode_request(std::string_view block, const Line& first, BlockReader& lines, Decoded& d, Message& m) {
  RequestDecoder(block, d, m).run(first, lines);
}

}  // namespace quartet::rrp
