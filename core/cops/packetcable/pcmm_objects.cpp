// PCMM S-object layouts (PKT-SP-MM-I05 6.4.2; I04/I03 Traffic Profile sets as
// Wireshark decodes them). Offsets are body offsets (after the 4-byte header).
#include "fields.hpp"
#include "names.hpp"
#include "object_def.hpp"

namespace quartet::cops::packetcable {
namespace {

using K = Kind;

constexpr Item kTransactionId[] = {{0, K::U16, kPcmmTransId}, {2, K::U16, kPcmmCmd}};
constexpr Item kAmid[] = {{0, K::U16, kPcmmAmidAppType}, {2, K::U16, kPcmmAmidTag}};
constexpr Item kSubV4[] = {{0, K::IPv4, kPcmmSubscriberIpv4}};
constexpr Item kSubV6[] = {{0, K::IPv6, kPcmmSubscriberIpv6}};
constexpr Item kGateId[] = {{0, K::U32, kPcmmGateId}};
constexpr Item kGateSpec[] = {
    {0, K::U8, kPcmmGsFlags},       {0, K::Bits8, kPcmmGsDirection},  {0, K::Bits8, kPcmmGsDscpEnable},
    {1, K::U8, kPcmmGsDscpTos},     {2, K::U8, kPcmmGsDscpTosMask},   {3, K::U8, kPcmmGsSessionClass},
    {3, K::Bits8, kPcmmGsPriority}, {3, K::Bits8, kPcmmGsPreemption}, {3, K::Bits8, kPcmmGsConfigurable},
    {4, K::U16, kPcmmGsT1},         {6, K::U16, kPcmmGsT2},           {8, K::U16, kPcmmGsT3},
    {10, K::U16, kPcmmGsT4}};
constexpr Item kClassifier[] = {
    {0, K::U16, kPcmmClsProtocol}, {2, K::U8, kPcmmClsDscpTos},   {3, K::U8, kPcmmClsDscpTosMask},
    {4, K::IPv4, kPcmmClsSrcIpv4}, {8, K::IPv4, kPcmmClsDstIpv4}, {12, K::U16, kPcmmClsSrcPort},
    {14, K::U16, kPcmmClsDstPort}, {16, K::U8, kPcmmClsPriority}, {17, K::Reserved, 0, 3}};
constexpr Item kExtClassifier[] = {
    {0, K::U16, kPcmmClsProtocol},  {2, K::U8, kPcmmClsDscpTos},      {3, K::U8, kPcmmClsDscpTosMask},
    {4, K::IPv4, kPcmmClsSrcIpv4},  {8, K::IPv4, kPcmmClsSrcMask},    {12, K::IPv4, kPcmmClsDstIpv4},
    {16, K::IPv4, kPcmmClsDstMask}, {20, K::U16, kPcmmClsSrcPort},    {22, K::U16, kPcmmClsSrcPortEnd},
    {24, K::U16, kPcmmClsDstPort},  {26, K::U16, kPcmmClsDstPortEnd}, {28, K::U16, kPcmmClsId},
    {30, K::U8, kPcmmClsPriority},  {31, K::U8, kPcmmClsActivation},  {32, K::U8, kPcmmClsAction},
    {33, K::Reserved, 0, 3}};
constexpr Item kV6Classifier[] = {{0, K::U8, kPcmmClsFlags},         {0, K::Bits8, kPcmmClsFlowLabelEnable},
                                  {1, K::U8, kPcmmClsTcLow},         {2, K::U8, kPcmmClsTcHigh},
                                  {3, K::U8, kPcmmClsTcMask},        {4, K::Bits32, kPcmmClsFlowLabel},
                                  {8, K::U16, kPcmmClsNextHeader},   {10, K::U8, kPcmmClsSrcPrefixLen},
                                  {11, K::U8, kPcmmClsDstPrefixLen}, {12, K::IPv6, kPcmmClsSrcIpv6},
                                  {28, K::IPv6, kPcmmClsDstIpv6},    {44, K::U16, kPcmmClsSrcPort},
                                  {46, K::U16, kPcmmClsSrcPortEnd},  {48, K::U16, kPcmmClsDstPort},
                                  {50, K::U16, kPcmmClsDstPortEnd},  {52, K::U16, kPcmmClsId},
                                  {54, K::U8, kPcmmClsPriority},     {55, K::U8, kPcmmClsActivation},
                                  {56, K::U8, kPcmmClsAction},       {57, K::Reserved, 0, 3}};
constexpr Item kEgiV4[] = {{0, K::IPv4, kPcmmEgiPrimaryIpv4},
                           {4, K::U16, kPcmmEgiPrimaryPort},
                           {6, K::Reserved, 0, 2},
                           {8, K::IPv4, kPcmmEgiSecondaryIpv4},
                           {12, K::U16, kPcmmEgiSecondaryPort},
                           {14, K::Reserved, 0, 2},
                           {16, K::Bcid}};
constexpr Item kEgiV6[] = {{0, K::IPv6, kPcmmEgiPrimaryIpv6},
                           {16, K::U16, kPcmmEgiPrimaryPort},
                           {18, K::Reserved, 0, 2},
                           {20, K::IPv6, kPcmmEgiSecondaryIpv6},
                           {36, K::U16, kPcmmEgiSecondaryPort},
                           {38, K::Reserved, 0, 2},
                           {40, K::Bcid}};
constexpr Item kVolumeLimit[] = {{0, K::U64, kPcmmVolumeLimit}};
constexpr Item kTimeLimit[] = {{0, K::U32, kPcmmTimeLimit}};
constexpr Item kOpaque[] = {{0, K::Octets, kPcmmOpaqueData, 8}};
constexpr Item kGateTime[] = {{0, K::U32, kPcmmGateTime}};
constexpr Item kGateUsage[] = {{0, K::U64, kPcmmGateUsage}};
constexpr Item kError[] = {{0, K::U16, kPcmmErrorCode}, {2, K::U16, kPcmmErrorSubcode}};
constexpr Item kGateState[] = {{0, K::U16, kPcmmGateState}, {2, K::U16, kPcmmGateStateReason}};
constexpr Item kVersion[] = {{0, K::U16, kPcmmVersionMajor}, {2, K::U16, kPcmmVersionMinor}};
constexpr Item kPsid[] = {{0, K::U32, kPcmmPsid}};
constexpr Item kSynch[] = {{0, K::Reserved, 0, 2}, {2, K::U8, kPcmmSynchReportType}, {3, K::U8, kPcmmSynchType}};
constexpr Item kMsgReceiptKey[] = {{0, K::U32, kPcmmMsgReceiptKey}};
constexpr Item kSharedResource[] = {{0, K::U32, kPcmmSharedResourceId}};
constexpr Item kEnvelopeOnly[] = {{0, K::U8, kPcmmTpEnvelope}, {1, K::Reserved, 0, 3}};

constexpr ObjectDef kObjects[] = {
    {1, 1, "TransactionID", 4, kTransactionId},
    {2, 1, "AMID", 4, kAmid},
    {3, 1, "SubscriberID (IPv4)", 4, kSubV4},
    {3, 2, "SubscriberID (IPv6)", 16, kSubV6},
    {4, 1, "GateID", 4, kGateId},
    {5, 1, "GateSpec", 12, kGateSpec},
    {6, 1, "Classifier", 20, kClassifier},
    {6, 2, "Extended Classifier", 36, kExtClassifier},
    {6, 3, "IPv6 Classifier", 60, kV6Classifier},
    {7, 1, "Traffic Profile: Flow Spec", 32, {}, Special::TrafficProfile},
    {7, 2, "Traffic Profile: DOCSIS Service Class Name", 8, {}, Special::ServiceClassName},
    {7, 3, "Traffic Profile: Best Effort Service", 28, {}, Special::TrafficProfile},
    {7, 4, "Traffic Profile: Non-Real-Time Polling Service", 32, {}, Special::TrafficProfile},
    {7, 5, "Traffic Profile: Real-Time Polling Service", 32, {}, Special::TrafficProfile},
    {7, 6, "Traffic Profile: Unsolicited Grant Service", 20, {}, Special::TrafficProfile},
    {7, 7, "Traffic Profile: Unsolicited Grant Service with Activity Detection", 28, {}, Special::TrafficProfile},
    {7, 8, "Traffic Profile: Downstream Service", 28, {}, Special::TrafficProfile},
    {7, 9, "Traffic Profile: Upstream Drop", 4, kEnvelopeOnly},
    {8, 1, "Event Generation Info (IPv4)", 40, kEgiV4},
    {8, 2, "Event Generation Info (IPv6)", 64, kEgiV6},
    {9, 1, "Volume-Based Usage Limit", 8, kVolumeLimit},
    {10, 1, "Time-Based Usage Limit", 4, kTimeLimit},
    {11, 1, "Opaque Data", 8, kOpaque},
    {12, 1, "Gate Time Info", 4, kGateTime},
    {13, 1, "Gate Usage Info", 8, kGateUsage},
    {14, 1, "PacketCable Error", 4, kError},
    {15, 1, "Gate State", 4, kGateState},
    {16, 1, "Version Info", 4, kVersion},
    {17, 1, "PSID", 4, kPsid},
    {18, 1, "Synch Options", 4, kSynch},
    {19, 1, "Msg Receipt Key", 4, kMsgReceiptKey},
    {21, 1, "UserID", 4, {}, Special::UserId},
    {22, 1, "SharedResourceID", 4, kSharedResource},
};

// --- Traffic Profile parameter sets -----------------------------------------------------
constexpr Item kFlowSpec[] = {{0, K::Float, kPcmmTpTokenRate},    {4, K::Float, kPcmmTpTokenSize},
                              {8, K::Float, kPcmmTpPeakRate},     {12, K::U32, kPcmmTpMinPolicedUnit},
                              {16, K::U32, kPcmmTpMaxPacketSize}, {20, K::Float, kPcmmTpRate},
                              {24, K::U32, kPcmmTpSlackTerm}};

// Best Effort: I05 36, I04 32 (no AARM), I03 24 (no MCB, masks).
constexpr Item kBestEffort[] = {{0, K::U8, kPcmmTpTrafficPriority},     {1, K::Reserved, 0, 3},
                                {4, K::U32, kPcmmTpReqTxPolicy},        {8, K::U32, kPcmmTpMaxSustainedRate},
                                {12, K::U32, kPcmmTpMaxBurst},          {16, K::U32, kPcmmTpMinReservedRate},
                                {20, K::U16, kPcmmTpMinReservedPacket}, {22, K::U16, kPcmmTpMaxConcatBurst},
                                {24, K::U32, kPcmmTpRequiredAttr},      {28, K::U32, kPcmmTpForbiddenAttr},
                                {32, K::U32, kPcmmTpAttrAggregation}};
constexpr Item kBestEffortI03[] = {{0, K::U8, kPcmmTpTrafficPriority},     {1, K::Reserved, 0, 3},
                                   {4, K::U32, kPcmmTpReqTxPolicy},        {8, K::U32, kPcmmTpMaxSustainedRate},
                                   {12, K::U32, kPcmmTpMaxBurst},          {16, K::U32, kPcmmTpMinReservedRate},
                                   {20, K::U16, kPcmmTpMinReservedPacket}, {22, K::Reserved, 0, 2}};
// Non-Real-Time Polling: BE with the Nominal Polling Interval at 24.
constexpr Item kNrtps[] = {{0, K::U8, kPcmmTpTrafficPriority},     {1, K::Reserved, 0, 3},
                           {4, K::U32, kPcmmTpReqTxPolicy},        {8, K::U32, kPcmmTpMaxSustainedRate},
                           {12, K::U32, kPcmmTpMaxBurst},          {16, K::U32, kPcmmTpMinReservedRate},
                           {20, K::U16, kPcmmTpMinReservedPacket}, {22, K::U16, kPcmmTpMaxConcatBurst},
                           {24, K::U32, kPcmmTpNominalPolling},    {28, K::U32, kPcmmTpRequiredAttr},
                           {32, K::U32, kPcmmTpForbiddenAttr},     {36, K::U32, kPcmmTpAttrAggregation}};
constexpr Item kNrtpsI03[] = {
    {0, K::U8, kPcmmTpTrafficPriority},     {1, K::Reserved, 0, 3},        {4, K::U32, kPcmmTpReqTxPolicy},
    {8, K::U32, kPcmmTpMaxSustainedRate},   {12, K::U32, kPcmmTpMaxBurst}, {16, K::U32, kPcmmTpMinReservedRate},
    {20, K::U16, kPcmmTpMinReservedPacket}, {22, K::Reserved, 0, 2},       {24, K::U32, kPcmmTpNominalPolling}};
// Real-Time Polling: no Traffic Priority word.
constexpr Item kRtps[] = {
    {0, K::U32, kPcmmTpReqTxPolicy},      {4, K::U32, kPcmmTpMaxSustainedRate},   {8, K::U32, kPcmmTpMaxBurst},
    {12, K::U32, kPcmmTpMinReservedRate}, {16, K::U16, kPcmmTpMinReservedPacket}, {18, K::U16, kPcmmTpMaxConcatBurst},
    {20, K::U32, kPcmmTpNominalPolling},  {24, K::U32, kPcmmTpPollJitter},        {28, K::U32, kPcmmTpRequiredAttr},
    {32, K::U32, kPcmmTpForbiddenAttr},   {36, K::U32, kPcmmTpAttrAggregation}};
constexpr Item kRtpsI03[] = {{0, K::U32, kPcmmTpReqTxPolicy},        {4, K::U32, kPcmmTpMaxSustainedRate},
                             {8, K::U32, kPcmmTpMaxBurst},           {12, K::U32, kPcmmTpMinReservedRate},
                             {16, K::U16, kPcmmTpMinReservedPacket}, {18, K::Reserved, 0, 2},
                             {20, K::U32, kPcmmTpNominalPolling},    {24, K::U32, kPcmmTpPollJitter}};
// UGS: I05 28, I04 24, I03 16 (first four words).
constexpr Item kUgs[] = {{0, K::U32, kPcmmTpReqTxPolicy},      {4, K::U16, kPcmmTpGrantSize},
                         {6, K::U8, kPcmmTpGrantsPerInterval}, {7, K::Reserved, 0, 1},
                         {8, K::U32, kPcmmTpNominalGrant},     {12, K::U32, kPcmmTpGrantJitter},
                         {16, K::U32, kPcmmTpRequiredAttr},    {20, K::U32, kPcmmTpForbiddenAttr},
                         {24, K::U32, kPcmmTpAttrAggregation}};
// UGS with Activity Detection: I05 36, I04 32, I03 24 (first six words).
constexpr Item kUgsAd[] = {{0, K::U32, kPcmmTpReqTxPolicy},      {4, K::U16, kPcmmTpGrantSize},
                           {6, K::U8, kPcmmTpGrantsPerInterval}, {7, K::Reserved, 0, 1},
                           {8, K::U32, kPcmmTpNominalGrant},     {12, K::U32, kPcmmTpGrantJitter},
                           {16, K::U32, kPcmmTpNominalPolling},  {20, K::U32, kPcmmTpPollJitter},
                           {24, K::U32, kPcmmTpRequiredAttr},    {28, K::U32, kPcmmTpForbiddenAttr},
                           {32, K::U32, kPcmmTpAttrAggregation}};
// Downstream: I05 40, I04 36, I03 24 (no resequencing byte, peak rate, masks).
constexpr Item kDownstream[] = {
    {0, K::U8, kPcmmTpTrafficPriority},     {1, K::U8, kPcmmTpDsResequencing}, {2, K::Reserved, 0, 2},
    {4, K::U32, kPcmmTpMaxSustainedRate},   {8, K::U32, kPcmmTpMaxBurst},      {12, K::U32, kPcmmTpMinReservedRate},
    {16, K::U16, kPcmmTpMinReservedPacket}, {18, K::Reserved, 0, 2},           {20, K::U32, kPcmmTpMaxDsLatency},
    {24, K::U32, kPcmmTpDsPeakRate},        {28, K::U32, kPcmmTpRequiredAttr}, {32, K::U32, kPcmmTpForbiddenAttr},
    {36, K::U32, kPcmmTpAttrAggregation}};
constexpr Item kDownstreamI03[] = {{0, K::U8, kPcmmTpTrafficPriority},
                                   {1, K::Reserved, 0, 3},
                                   {4, K::U32, kPcmmTpMaxSustainedRate},
                                   {8, K::U32, kPcmmTpMaxBurst},
                                   {12, K::U32, kPcmmTpMinReservedRate},
                                   {16, K::U16, kPcmmTpMinReservedPacket},
                                   {18, K::Reserved, 0, 2},
                                   {20, K::U32, kPcmmTpMaxDsLatency}};

// The first `n` items of a layout (I04 drops the trailing Attribute Aggregation Rule Mask).
template <size_t N>
constexpr Layout first(const Item (&items)[N], size_t n) {
  return Layout(items, n);
}

}  // namespace

const ObjectDef* pcmm_object(uint8_t snum, uint8_t stype) {
  for (const auto& o : kObjects)
    if (o.snum == snum && o.stype == stype) return &o;
  return nullptr;
}

Layout traffic_profile_set(uint8_t stype, int issue) {
  switch (stype) {
    case 1: return kFlowSpec;  // the same in every issue
    case 3: return issue == 5 ? Layout(kBestEffort) : issue == 4 ? first(kBestEffort, 10) : Layout(kBestEffortI03);
    case 4: return issue == 5 ? Layout(kNrtps) : issue == 4 ? first(kNrtps, 11) : Layout(kNrtpsI03);
    case 5: return issue == 5 ? Layout(kRtps) : issue == 4 ? first(kRtps, 10) : Layout(kRtpsI03);
    case 6: return issue == 5 ? Layout(kUgs) : issue == 4 ? first(kUgs, 8) : first(kUgs, 6);
    case 7: return issue == 5 ? Layout(kUgsAd) : issue == 4 ? first(kUgsAd, 10) : first(kUgsAd, 8);
    case 8: return issue == 5 ? Layout(kDownstream) : issue == 4 ? first(kDownstream, 12) : Layout(kDownstreamI03);
    default: return {};
  }
}

}  // namespace quartet::cops::packetcable
