// DQoS S-object layouts (client-type 0x8008). No DQoS specification text was
// available: these follow Wireshark's packet-cops.c (after PKT-SP-DQOS-I09) and
// Asterisk's res_pktccops.c, which agree wherever both decode an object.
#include "fields.hpp"
#include "object_def.hpp"

namespace quartet::cops::packetcable {
namespace {

using K = Kind;

constexpr Item kTransactionId[] = {{0, K::U16, kDqosTransId}, {2, K::U16, kDqosCmd}};
constexpr Item kSubV4[] = {{0, K::IPv4, kDqosSubscriberIpv4}};
constexpr Item kSubV6[] = {{0, K::IPv6, kDqosSubscriberIpv6}};
constexpr Item kGateId[] = {{0, K::U32, kDqosGateId}};
constexpr Item kActivityCount[] = {{0, K::U32, kDqosActivityCount}};
constexpr Item kGateSpec[] = {{0, K::U8, kDqosGsDirection},
                              {1, K::U8, kDqosGsProtocol},
                              {2, K::U8, kDqosGsFlags},
                              {3, K::U8, kDqosGsSessionClass},
                              {4, K::IPv4, kDqosGsSrcIpv4},
                              {8, K::IPv4, kDqosGsDstIpv4},
                              {12, K::U16, kDqosGsSrcPort},
                              {14, K::U16, kDqosGsDstPort},
                              {16, K::U8, kDqosGsDsField},
                              {17, K::Reserved, 0, 3},
                              {20, K::U16, kDqosGsT1},
                              {22, K::Reserved, 0, 2},
                              {24, K::U16, kDqosGsT7},
                              {26, K::U16, kDqosGsT8},
                              {28, K::Float, kDqosGsTokenRate},
                              {32, K::Float, kDqosGsTokenSize},
                              {36, K::Float, kDqosGsPeakRate},
                              {40, K::U32, kDqosGsMinPolicedUnit},
                              {44, K::U32, kDqosGsMaxPacketSize},
                              {48, K::Float, kDqosGsRate},
                              {52, K::U32, kDqosGsSlackTerm}};
constexpr Item kRemoteGate[] = {{0, K::IPv4, kDqosRgiCmtsIpv4},
                                {4, K::U16, kDqosRgiCmtsPort},
                                {6, K::U16, kDqosRgiFlags},
                                {8, K::U32, kDqosRgiGateId},
                                {12, K::U16, kDqosRgiAlgorithm}};
constexpr Item kEgi[] = {{0, K::IPv4, kDqosEgiPrimaryIpv4},
                         {4, K::U16, kDqosEgiPrimaryPort},
                         {6, K::U8, kDqosEgiPrimaryFlags},
                         {7, K::Reserved, 0, 1},
                         {8, K::IPv4, kDqosEgiSecondaryIpv4},
                         {12, K::U16, kDqosEgiSecondaryPort},
                         {14, K::U8, kDqosEgiSecondaryFlags},
                         {15, K::Reserved, 0, 1},
                         {16, K::Bcid}};
constexpr Item kError[] = {{0, K::U16, kDqosErrorCode}, {2, K::U16, kDqosErrorSubcode}};
constexpr Item kSurveillance[] = {
    {0, K::IPv4, kDqosEsCdcIpv4}, {4, K::U16, kDqosEsCdcPort}, {6, K::U16, kDqosEsFlags},  {8, K::IPv4, kDqosEsCccIpv4},
    {12, K::U16, kDqosEsCccPort}, {14, K::Reserved, 0, 2},     {16, K::U32, kDqosEsCccId}, {20, K::Bcid}};
constexpr Item kReason[] = {{0, K::U16, kDqosReasonCode}, {2, K::U16, kDqosReasonSubcode}};

constexpr ObjectDef kObjects[] = {
    {1, 1, "Transaction ID", 4, kTransactionId},
    {2, 1, "Subscriber ID (IPv4)", 4, kSubV4},
    {2, 2, "Subscriber ID (IPv6)", 16, kSubV6},
    {3, 1, "Gate ID", 4, kGateId},
    {4, 1, "Activity Count", 4, kActivityCount},
    {5, 1, "Gate Spec", 56, kGateSpec},
    {6, 1, "Remote Gate Info", 14, kRemoteGate, Special::RemoteGateInfo},
    {7, 1, "Event Generation Info", 40, kEgi},
    {8, 1, "Media Connection Event Info", 0, {}, Special::RawVariable},
    {9, 1, "PacketCable Error", 4, kError},
    {10, 1, "Electronic Surveillance Parameters", 44, kSurveillance},
    {11, 1, "Session Description Parameters", 0, {}, Special::RawVariable},
    {13, 1, "PacketCable Reason", 4, kReason},
};

}  // namespace

const ObjectDef* dqos_object(uint8_t snum, uint8_t stype) {
  for (const auto& o : kObjects)
    if (o.snum == snum && o.stype == stype) return &o;
  return nullptr;
}

}  // namespace quartet::cops::packetcable
