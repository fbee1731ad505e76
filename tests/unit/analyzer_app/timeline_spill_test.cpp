// Long timelines spilled to the temporary file come back exactly: member by
// member, and as the same JSONL and text from real captures.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "analyzer_sink.hpp"
#include "net/pipeline.hpp"
#include "sink_harness.hpp"
#include "timeline_spill.hpp"

namespace quartet::analyzer {
namespace {

const std::filesystem::path kCaptures = QUARTET_CAPTURES_DIR;

MessageOut full_message() {
  MessageOut m;
  m.index = 300;
  m.ts = 1'700'000'000'123'456'789;
  m.from = Side::Server;
  m.length = 1u << 20;
  m.is_response = true;
  m.announces_publisher = true;
  m.response_to = 299;
  m.latency = -5;  // negative survives too
  m.set_text("DEC", std::string("a summary with \0 and \xff bytes", 29), "REQ Configuration",
             "{\"a\":\"0a0b\",\"b\":[-1,2]}");
  m.problems = {{ProblemKind::Malformed, 4, 8, "bad length"}, {ProblemKind::Violation, 0, 0, ""}};
  return m;
}

// The texts of messages moved to the file serve the next messages: a recycled
// string keeps its capacity, and a message built in it holds only its own texts.
TEST(TimelineSpill, WrittenMessagesTextsAreRecycled) {
  TimelineSpill spill;
  EXPECT_TRUE(spill.take_text().empty());
  std::vector<Entry> entries;
  entries.emplace_back(full_message());
  entries.emplace_back(EventOut{1, EntryKind::Info, std::nullopt, "an event"});
  MessageOut short_text;
  short_text.set_text("KA", "");  // inline string: nothing to recycle
  entries.emplace_back(std::move(short_text));
  SpillChain chain;
  ASSERT_TRUE(spill.write(entries, chain));
  std::string s = spill.take_text();
  EXPECT_GE(s.capacity(), 29u + 3 + 17 + 23);  // full_message's four texts
  EXPECT_TRUE(spill.take_text().empty());      // one message only had a heap string
  MessageOut m;
  m.set_text_in(std::move(s), "RPT", "RPT handle=0x1", "", "{}");
  EXPECT_EQ(m.name(), "RPT");
  EXPECT_EQ(m.summary(), "RPT handle=0x1");
  EXPECT_EQ(m.kind(), "");
  EXPECT_EQ(m.fields_json(), "{}");
  // The spilled message itself comes back whole.
  std::vector<Entry> back;
  spill.read(chain, back);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(std::get<MessageOut>(back[0]).summary(), full_message().summary());
  EXPECT_EQ(std::get<MessageOut>(back[2]).name(), "KA");
}

// A session written out gives its timeline's storage to the sessions after it: the
// vector (empty, capacity kept) and its messages' texts; a long timeline's vector is
// released, and the pool of vectors is bounded.
TEST(TimelineSpill, WrittenTimelinesAreRecycledWithinBounds) {
  TimelineSpill spill;
  std::vector<Entry> fresh = spill.take_entries();
  EXPECT_TRUE(fresh.empty());
  EXPECT_EQ(fresh.capacity(), TimelineSpill::kNewTimelineEntries);  // nothing pooled yet: a new one
  fresh.emplace_back(full_message());
  fresh.emplace_back(EventOut{1, EntryKind::TcpFin, Side::Client, "FIN from client"});
  const Entry* storage = fresh.data();
  spill.recycle(fresh);
  EXPECT_TRUE(fresh.empty());
  EXPECT_EQ(fresh.capacity(), 0u);
  EXPECT_GE(spill.take_text().capacity(), 29u + 3 + 17 + 23);  // the message's texts
  std::vector<Entry> again = spill.take_entries();
  EXPECT_TRUE(again.empty());
  EXPECT_EQ(again.data(), storage);  // the same block, not a new one
  // A long timeline's vector is not kept.
  std::vector<Entry> longer(TimelineSpill::kPooledTimelineEntries + 1);
  spill.recycle(longer);
  EXPECT_EQ(longer.capacity(), 0u);
  EXPECT_EQ(spill.take_entries().capacity(), TimelineSpill::kNewTimelineEntries);
  // At most kPooledTimelines short ones are.
  for (size_t i = 0; i < TimelineSpill::kPooledTimelines + 5; ++i) {
    std::vector<Entry> v(1);
    v.reserve(TimelineSpill::kPooledTimelineEntries);
    spill.recycle(v);
  }
  size_t pooled = 0;
  while (spill.take_entries().capacity() == TimelineSpill::kPooledTimelineEntries) ++pooled;
  EXPECT_EQ(pooled, TimelineSpill::kPooledTimelines);
}

// A --threads worker's share of the pools: no more texts and vectors kept than that.
TEST(TimelineSpill, PoolBoundsAreAWorkersShare) {
  TimelineSpill spill;
  spill.set_pool_bounds(3, 2);
  for (int i = 0; i < 10; ++i) {
    std::vector<Entry> v;
    v.reserve(TimelineSpill::kPooledTimelineEntries);
    v.emplace_back(full_message());
    spill.recycle(v);
  }
  size_t texts = 0;
  while (spill.take_text().capacity() > 15) ++texts;
  EXPECT_EQ(texts, 3u);
  size_t vectors = 0;
  while (spill.take_entries().capacity() == TimelineSpill::kPooledTimelineEntries) ++vectors;
  EXPECT_EQ(vectors, 2u);
}

// An event's literal text is kept by pointer (no copy), any other text is owned; both
// read the same, survive a copy and the spill file's round trip.
TEST(TimelineSpill, EventTextsLiteralOrOwned) {
  static constexpr char kLiteral[] = "connection opened (SYN seen)";
  EventText lit(kLiteral);
  EXPECT_EQ(lit.view().data(), kLiteral);
  EXPECT_EQ(lit.view().size(), sizeof kLiteral - 1);
  EXPECT_EQ(lit.literal(), kLiteral);
  EXPECT_EQ(lit, "connection opened (SYN seen)");
  EventText owned(std::string("12 bytes missing"));
  EXPECT_EQ(owned, "12 bytes missing");
  EXPECT_EQ(owned.literal(), nullptr);
  EventText copy = lit;
  EXPECT_EQ(copy.view().data(), kLiteral);
  copy.owned() = "replaced";  // filling in place drops the literal
  EXPECT_EQ(copy, "replaced");
  EXPECT_EQ(lit, "connection opened (SYN seen)");
  TimelineSpill spill;
  std::vector<Entry> entries;
  entries.emplace_back(EventOut{1, EntryKind::TcpOpen, std::nullopt, lit});
  entries.emplace_back(EventOut{2, EntryKind::Gap, Side::Server, owned});
  SpillChain chain;
  ASSERT_TRUE(spill.write(entries, chain));
  std::vector<Entry> back;
  spill.read(chain, back);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(std::get<EventOut>(back[0]).text, "connection opened (SYN seen)");
  EXPECT_EQ(std::get<EventOut>(back[1]).text, "12 bytes missing");
}

// Moves (an event's text is moved twice on its way into a timeline) keep a literal by
// pointer and an owned text whole, and assignment goes both ways between them.
TEST(TimelineSpill, EventTextsMoveLiteralOrOwned) {
  static constexpr char kLiteral[] = "FIN from client";
  const std::string long_text(100, 'x');  // beyond the short-string buffer
  EventText lit(kLiteral);
  EventText moved_lit(std::move(lit));
  EXPECT_EQ(moved_lit.literal(), kLiteral);
  EXPECT_EQ(moved_lit, "FIN from client");
  EventText owned{std::string(long_text)};
  EventText moved_owned(std::move(owned));
  EXPECT_EQ(moved_owned.literal(), nullptr);
  EXPECT_EQ(moved_owned, long_text);
  EventText short_owned{std::string("open")};
  EventText t(std::move(short_owned));
  EXPECT_EQ(t, "open");
  t = EventText(kLiteral);  // owned to literal
  EXPECT_EQ(t.literal(), kLiteral);
  EXPECT_EQ(t, "FIN from client");
  t = std::move(moved_owned);  // literal to owned
  EXPECT_EQ(t.literal(), nullptr);
  EXPECT_EQ(t, long_text);
  EventOut e{3, EntryKind::Info, std::nullopt, EventText(kLiteral)};
  std::vector<Entry> entries;
  entries.emplace_back(std::in_place_type<EventOut>, std::move(e));
  EXPECT_EQ(std::get<EventOut>(entries[0]).text.literal(), kLiteral);
}

TEST(TimelineSpill, EveryMemberRoundTrips) {
  std::vector<Entry> entries;
  entries.emplace_back(full_message());
  entries.emplace_back(EventOut{-1, EntryKind::Gap, std::nullopt, "12 bytes missing"});
  entries.emplace_back(MessageOut{});
  entries.emplace_back(EventOut{42, EntryKind::TcpFin, Side::Client, ""});
  TimelineSpill spill;
  SpillChain chain;
  ASSERT_TRUE(spill.write(entries, chain));
  EXPECT_TRUE(entries.empty());
  EXPECT_EQ(chain.segments, 1u);

  std::vector<Entry> back;
  spill.read(chain, back);
  ASSERT_EQ(back.size(), 4u);
  const MessageOut want = full_message();
  const auto& m = std::get<MessageOut>(back[0]);
  EXPECT_EQ(m.index, want.index);
  EXPECT_EQ(m.ts, want.ts);
  EXPECT_EQ(m.from, want.from);
  EXPECT_EQ(m.length, want.length);
  EXPECT_EQ(m.name(), want.name());
  EXPECT_EQ(m.summary(), want.summary());
  EXPECT_EQ(m.is_request, want.is_request);
  EXPECT_EQ(m.is_response, want.is_response);
  EXPECT_EQ(m.announces_publisher, want.announces_publisher);
  EXPECT_EQ(m.response_to, want.response_to);
  EXPECT_EQ(m.latency, want.latency);
  EXPECT_EQ(m.kind(), want.kind());
  EXPECT_EQ(m.fields_json(), want.fields_json());
  ASSERT_EQ(m.problems.size(), 2u);
  EXPECT_EQ(m.problems[0].kind, ProblemKind::Malformed);
  EXPECT_EQ(m.problems[0].offset, 4u);
  EXPECT_EQ(m.problems[0].length, 8u);
  EXPECT_EQ(m.problems[0].text, "bad length");
  EXPECT_EQ(m.problems[1].kind, ProblemKind::Violation);
  const auto& gap = std::get<EventOut>(back[1]);
  EXPECT_EQ(gap.ts, -1);
  EXPECT_EQ(gap.kind, EntryKind::Gap);
  EXPECT_EQ(gap.from, std::nullopt);
  EXPECT_EQ(gap.text, "12 bytes missing");
  EXPECT_FALSE(std::get<MessageOut>(back[2]).response_to.has_value());
  EXPECT_EQ(std::get<EventOut>(back[3]).from, Side::Client);

  // Another session's segment after a read: both still readable, in any order.
  std::vector<Entry> more;
  more.emplace_back(EventOut{7, EntryKind::Info, Side::Server, "second"});
  SpillChain other;
  ASSERT_TRUE(spill.write(more, other));
  std::vector<Entry> again;
  spill.read(other, again);
  spill.read(chain, again);
  ASSERT_EQ(again.size(), 5u);
  EXPECT_EQ(std::get<EventOut>(again[0]).text, "second");
  EXPECT_EQ(std::get<MessageOut>(again[1]).name(), "DEC");
}

// Sessions spilling a few entries at a time, their segments interleaved in the
// file: each session's chain gives back its own entries, in order.
TEST(TimelineSpill, ChainsOfInterleavedSegmentsComeBackInOrder) {
  TimelineSpill spill;
  SpillChain chains[3];
  for (int round = 0; round < 50; ++round) {
    for (int s = 0; s < 3; ++s) {
      std::vector<Entry> entries;
      for (int i = 0; i <= (round + s) % 3; ++i)  // 1 to 3 entries per segment
        entries.emplace_back(EventOut{round * 10 + i, EntryKind::Info, std::nullopt, std::to_string(s)});
      ASSERT_TRUE(spill.write(entries, chains[s]));
    }
  }
  spill.sync();
  for (int s = 0; s < 3; ++s) {
    EXPECT_EQ(chains[s].segments, 50u);
    std::vector<TimeNs> got;
    SessionOut out;
    out.spill = &spill;
    out.spilled = chains[s];
    for_each_entry(out, [&](const Entry& e) {
      EXPECT_EQ(std::get<EventOut>(e).text, std::to_string(s));
      got.push_back(std::get<EventOut>(e).ts);
    });
    std::vector<TimeNs> want;
    for (int round = 0; round < 50; ++round)
      for (int i = 0; i <= (round + s) % 3; ++i) want.push_back(round * 10 + i);
    EXPECT_EQ(got, want) << "session " << s;
  }
}

// discard() (a --threads worker done with every chain) empties the file at once;
// a chain written after it comes back whole, from past the discarded offsets.
TEST(TimelineSpill, DiscardEmptiesTheFileAndLaterChainsStillReadBack) {
  TimelineSpill spill;
  const std::string text(1000, 'x');
  SpillChain old_chain;
  for (int i = 0; i < 1000; ++i) {  // about 1 MB: several write chunks in the file, some still gathered
    std::vector<Entry> entries;
    entries.emplace_back(EventOut{i, EntryKind::Info, std::nullopt, text});
    ASSERT_TRUE(spill.write(entries, old_chain));
  }  // not synced: the last segments are still gathered, and discarded with the rest
  const auto file_bytes = [] {
    uint64_t most = 0;  // the largest deleted file this process holds: the spill file
    for (const auto& [fd, f] : harness::deleted_files()) most = std::max(most, f.bytes_on_disk);
    return most;
  };
  ASSERT_GT(file_bytes(), 700'000u);
  const uint64_t offset_before = spill.bytes();
  spill.discard();
  EXPECT_EQ(file_bytes(), 0u);
  SpillChain chain;
  std::vector<Entry> entries;
  for (int i = 0; i < 40; ++i) entries.emplace_back(EventOut{i, EntryKind::Info, Side::Client, std::to_string(i)});
  ASSERT_TRUE(spill.write(entries, chain));
  spill.sync();
  EXPECT_GT(spill.bytes(), offset_before);
  std::vector<Entry> back;
  spill.read(chain, back);
  ASSERT_EQ(back.size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(std::get<EventOut>(back[static_cast<size_t>(i)]).text, std::to_string(i));
}

// A segment many read chunks long comes back entry by entry, in order, whole
// across the chunk boundaries (entries of varied sizes, one larger than a chunk),
// and the entries of a session's spilled segments come before its in-memory ones.
TEST(TimelineSpill, StreamsLongSegmentsInOrderAcrossChunkBoundaries) {
  std::vector<Entry> entries;
  size_t bytes = 0;
  for (uint64_t i = 0; bytes < 5 * TimelineSpill::kReadChunk; ++i) {
    const std::string text(i % 97 + (i == 700 ? 3 * TimelineSpill::kReadChunk : 0), static_cast<char>('a' + i % 26));
    bytes += text.size();
    if (i % 3 == 0) {
      entries.emplace_back(EventOut{static_cast<TimeNs>(i), EntryKind::Info, Side::Server, text});
    } else {
      MessageOut m;
      m.index = i;
      m.ts = static_cast<TimeNs>(i);
      if (i % 3 == 2) m.response_to = i - 1;  // one reused MessageOut must not keep another's answer
      m.set_text("M", text, "", i % 5 == 0 ? "{}" : "");
      if (i % 7 == 0) m.problems = {{ProblemKind::Malformed, 1, 2, text}};
      entries.emplace_back(std::move(m));
    }
  }
  const std::vector<Entry> want = entries;
  TimelineSpill spill;
  SpillChain chain;
  ASSERT_TRUE(spill.write(entries, chain));
  ASSERT_GT(spill.bytes(), 5 * TimelineSpill::kReadChunk);
  spill.sync();

  SessionOut s;
  s.spill = &spill;
  s.spilled = chain;
  s.entries.emplace_back(EventOut{-7, EntryKind::TcpClose, std::nullopt, "in memory"});
  size_t n = 0;
  for_each_entry(s, [&](const Entry& e) {
    ASSERT_LE(n, want.size());
    if (n == want.size()) {
      EXPECT_EQ(std::get<EventOut>(e).text, "in memory");
    } else if (const auto* w = std::get_if<EventOut>(&want[n])) {
      const auto& ev = std::get<EventOut>(e);
      EXPECT_EQ(ev.ts, w->ts) << n;
      EXPECT_EQ(ev.text, w->text) << n;
    } else {
      const auto& wm = std::get<MessageOut>(want[n]);
      const auto& m = std::get<MessageOut>(e);
      EXPECT_EQ(m.index, wm.index) << n;
      EXPECT_EQ(m.summary(), wm.summary()) << n;
      EXPECT_EQ(m.fields_json(), wm.fields_json()) << n;
      EXPECT_EQ(m.response_to, wm.response_to) << n;
      ASSERT_EQ(m.problems.size(), wm.problems.size()) << n;
      if (!m.problems.empty()) {
        EXPECT_EQ(m.problems[0].text, wm.problems[0].text) << n;
      }
    }
    ++n;
  });
  EXPECT_EQ(n, want.size() + 1);
}

// Segments of many sessions gathered across several write chunks: some are in the
// file, the last ones still in the buffer, and every chain reads back whole and in
// order before and after sync().
std::vector<std::vector<TimeNs>> write_interleaved(TimelineSpill& spill, std::vector<SpillChain>& chains,
                                                   size_t rounds) {
  std::vector<std::vector<TimeNs>> want(chains.size());
  const std::string text(900, 'x');
  for (size_t round = 0; round < rounds; ++round) {
    for (size_t s = 0; s < chains.size(); ++s) {
      std::vector<Entry> entries;
      for (size_t i = 0; i < 4; ++i) {
        const auto ts = static_cast<TimeNs>(round * 10 + i);
        entries.emplace_back(EventOut{ts, EntryKind::Info, std::nullopt, text + std::to_string(s)});
        want[s].push_back(ts);
      }
      if (!spill.write(entries, chains[s])) {
        // Held in memory by the caller: not in the chain.
        want[s].resize(want[s].size() - 4);
        return want;
      }
    }
  }
  return want;
}

void expect_chains(const TimelineSpill& spill, const std::vector<SpillChain>& chains,
                   const std::vector<std::vector<TimeNs>>& want) {
  for (size_t s = 0; s < chains.size(); ++s) {
    std::vector<TimeNs> got;
    spill.stream(chains[s], [&](const Entry& e) {
      EXPECT_EQ(std::get<EventOut>(e).text.view().substr(900), std::to_string(s));
      got.push_back(std::get<EventOut>(e).ts);
    });
    EXPECT_EQ(got, want[s]) << "session " << s;
  }
}

TEST(TimelineSpill, SegmentsInTheFileAndStillGatheredReadBack) {
  TimelineSpill spill;
  std::vector<SpillChain> chains(7);
  const auto want = write_interleaved(spill, chains, 40);  // about 1 MB: several chunks, and a rest
  ASSERT_GT(spill.bytes(), 3 * TimelineSpill::kWriteChunk);
  ASSERT_NE(spill.bytes() % TimelineSpill::kWriteChunk, 0u);
  expect_chains(spill, chains, want);  // the last segments from the buffer
  spill.sync();
  expect_chains(spill, chains, want);  // all from the file
}

// A --threads worker's share of the write buffer (set_write_chunk): many more writes, the same
// entries back; a share below the minimum is raised to it.
TEST(TimelineSpill, ASmallerWriteChunkReadsBackTheSame) {
  TimelineSpill spill;
  spill.set_write_chunk(1);
  std::vector<SpillChain> chains(7);
  const auto want = write_interleaved(spill, chains, 40);
  ASSERT_GT(spill.bytes(), 20 * TimelineSpill::kMinWriteChunk);
  expect_chains(spill, chains, want);
  spill.sync();
  expect_chains(spill, chains, want);
}

// Run in a child process: it lowers its own file size limit.
[[noreturn]] void fill_the_disk_and_read_back() {
  std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
  const rlimit limit{TimelineSpill::kWriteChunk + TimelineSpill::kWriteChunk / 2, RLIM_INFINITY};
  if (setrlimit(RLIMIT_FSIZE, &limit) != 0) std::exit(2);
  TimelineSpill spill;
  std::vector<SpillChain> chains(5);
  const auto want = write_interleaved(spill, chains, 200);  // 4 MB if it all fitted
  size_t taken = 0;
  for (const auto& w : want) taken += w.size();
  if (taken <= TimelineSpill::kWriteChunk / 1000 || taken == 5 * 200 * 4) std::exit(3);  // the limit bit, late
  spill.sync();
  expect_chains(spill, chains, want);
  std::vector<Entry> more;
  more.emplace_back(EventOut{1, EntryKind::Info, std::nullopt, "held"});
  SpillChain other;
  if (spill.write(more, other) || more.size() != 1) std::exit(4);
  std::exit(::testing::Test::HasFailure() ? 5 : 0);
}

// The disk filling up (here the process's file size limit) while segments are
// gathered: write() says so from then on (the caller holds the entries in memory),
// and every segment it took, in the file or in the buffer that failed, reads back.
TEST(TimelineSpill, AFullDiskKeepsWhatWasTakenReadable) {
  EXPECT_EXIT(fill_the_disk_and_read_back(), ::testing::ExitedWithCode(0), "");
}

std::string analyze(const std::string& capture, OutputFormat format, bool spill_all, uint64_t* spilled) {
  harness::MemFile mem;
  AppOptions opt;
  opt.format = format;
  auto writer = format == OutputFormat::Jsonl ? make_jsonl_writer(mem.f, opt) : make_text_writer(mem.f, opt);
  Analyzer a(opt, *writer);
  if (spill_all) a.set_spill_limits(0, 1);
  else a.set_spill_limits(0, 0);
  net::Options nopt;
  nopt.inputs = {(kCaptures / capture).string()};
  net::run(nopt, a);
  a.finish();
  *spilled = a.spilled_bytes();
  return mem.text();
}

TEST(TimelineSpill, RealCapturesGiveTheSameOutputSpilledEveryEntry) {
  for (const char* capture : {"demo.pcapng", "sp/sp-pubsub.pcap", "cops/cops-pr.pcapng", "rrp/rrp-tls.pcapng"}) {
    for (OutputFormat format : {OutputFormat::Jsonl, OutputFormat::Text}) {
      uint64_t none = 0, some = 0;
      const std::string held = analyze(capture, format, false, &none);
      const std::string spilled = analyze(capture, format, true, &some);
      EXPECT_EQ(none, 0u);
      EXPECT_GT(some, 0u) << capture;
      EXPECT_GT(held.size(), 500u) << capture;
      EXPECT_EQ(spilled, held) << capture;
    }
  }
}

// Run in a child process: the disk is full (a file size limit of one byte) from
// the first write of the spill file, which comes when the first session with
// segments ends. Sessions that were packing entries then hold them in memory, in
// order: the output is the same as with every timeline held.
[[noreturn]] void analyze_with_a_full_disk() {
  std::signal(SIGXFSZ, SIG_IGN);
  const rlimit limit{1, RLIM_INFINITY};
  if (setrlimit(RLIMIT_FSIZE, &limit) != 0) std::exit(2);
  for (const char* capture : {"demo.pcapng", "sp/sp-pubsub.pcap", "cops/cops-pr.pcapng"}) {
    uint64_t none = 0, some = 0;
    const std::string held = analyze(capture, OutputFormat::Jsonl, false, &none);
    const std::string spilled = analyze(capture, OutputFormat::Jsonl, true, &some);
    EXPECT_GT(some, 0u) << capture;  // (taken by the file's buffer before the write failed)
    EXPECT_EQ(spilled, held) << capture;
  }
  std::exit(::testing::Test::HasFailure() ? 5 : 0);
}

TEST(TimelineSpill, PackedEntriesAreHeldInMemoryWhenTheDiskIsFull) {
  EXPECT_EXIT(analyze_with_a_full_disk(), ::testing::ExitedWithCode(0), "");
}

// An Analyzer dropped before its connections ended (an error stopped the run):
// their spilled and packed entries go back to the spill file's pools, which must
// still exist when the connections are destroyed (ASan reports it otherwise).
TEST(TimelineSpill, AnAnalyzerWithConnectionsStillPackingIsDestroyedCleanly) {
  harness::MemFile mem;
  AppOptions opt;
  opt.format = OutputFormat::Jsonl;
  auto writer = make_jsonl_writer(mem.f, opt);
  auto a = std::make_unique<Analyzer>(opt, *writer);
  a->set_spill_limits(4, 3);  // a connection's first 3 entries go to the file, the next ones are packed
  const TimeNs t0 = 1'700'000'000'000'000'000;
  for (uint64_t id = 1; id <= 3; ++id) {
    a->on_open(harness::flow(id, 3288, t0, static_cast<uint16_t>(40000 + id)));
    for (int i = 0; i < 4; ++i) {
      const std::string ka("\x10\x09\x00\x00\x00\x00\x00\x08", 8);  // COPS Keep-Alive
      a->on_data(id, Side::Client, fake::bytes(ka), t0 + i);
    }
  }
  EXPECT_GT(a->spilled_bytes(), 0u);
  a.reset();
}

// The spill and relay files go where TMPDIR says (glibc's tmpfile() would put them
// in /tmp whatever it says), nameless; /tmp when TMPDIR cannot take one.
TEST(ScratchFile, IsMadeInTmpdirElseTmp) {
  namespace fs = std::filesystem;
  const char* before = std::getenv("TMPDIR");
  const std::string saved = before ? before : "";
  const fs::path dir = fs::path(testing::TempDir()) / ("quartet_scratch_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const auto folder_of = [](const ScratchFile& f) {
    return fs::read_symlink("/proc/self/fd/" + std::to_string(f.fd())).parent_path();
  };
  setenv("TMPDIR", dir.c_str(), 1);
  {
    ScratchFile f;
    ASSERT_TRUE(f.open());
    EXPECT_EQ(folder_of(f), fs::canonical(dir));
    EXPECT_TRUE(fs::is_empty(dir));  // no name left behind
    char back[5] = {};
    ASSERT_TRUE(pwrite_all(f.fd(), "spill", 5, 4096));
    ASSERT_TRUE(pread_all(f.fd(), back, 5, 4096));
    EXPECT_EQ(std::string(back, 5), "spill");
    ScratchFile moved(std::move(f));
    EXPECT_EQ(f.fd(), -1);
    EXPECT_EQ(folder_of(moved), fs::canonical(dir));
  }
  setenv("TMPDIR", (dir / "missing").c_str(), 1);
  {
    ScratchFile f;
    ASSERT_TRUE(f.open());
    EXPECT_EQ(folder_of(f), fs::path("/tmp"));
  }
  if (before) setenv("TMPDIR", saved.c_str(), 1);
  else unsetenv("TMPDIR");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace quartet::analyzer
