#include "quiver/server/stream_limits.h"

#include <chrono>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "quiver/server/connection_cutter_internal.h"
#include "quiver/server/grpc_status_code_internal.h"
#include "quiver/telemetry/metrics_registry.h"

namespace quiver::server {
namespace {

class StreamLimitsTest : public ::testing::Test {
 protected:
  std::shared_ptr<StreamLimits> Make(LimitOptions options) {
    options.metrics = std::make_shared<ServerMetrics>();
    options.metrics->limit_refusals = refusals_;
    return StreamLimits::Make(std::move(options));
  }
  double Refusals(const char* limit) { return refusals_->WithLabels({limit}).value(); }

  telemetry::MetricsRegistry registry_;
  telemetry::Family<telemetry::Counter>* refusals_ =
      &registry_.AddCounter("quiver_limit_refusals_total", "test", {"limit"});
};

TEST_F(StreamLimitsTest, RefusesOverTheLimitsAndAdmitsAgainWhenAStreamEnds) {
  LimitOptions options;
  options.max_streams = 3;
  options.max_streams_per_user = 2;
  auto limits = Make(options);
  auto a1 = limits->Admit("user 'a'", "ipv4:127.0.0.1:1", "DoGet of 'x'");
  auto a2 = limits->Admit("user 'a'", "ipv4:127.0.0.1:2", "DoGet of 'x'");
  ASSERT_TRUE(a1.ok() && a2.ok());
  auto a3 = limits->Admit("user 'a'", "ipv4:127.0.0.1:3", "DoGet of 'x'");
  ASSERT_FALSE(a3.ok());
  EXPECT_EQ(GrpcStatusName(GrpcStatusCode(a3.status())), "UNAVAILABLE");
  EXPECT_NE(a3.status().message().find(
                "too many streams for user 'a': the limit --max-streams-per-user=2"),
            std::string::npos)
      << a3.status().message();
  auto b1 = limits->Admit("user 'b'", "ipv4:127.0.0.1:4", "DoPut of 'y'");
  ASSERT_TRUE(b1.ok());
  auto b2 = limits->Admit("user 'b'", "ipv4:127.0.0.1:5", "DoPut of 'y'");
  ASSERT_FALSE(b2.ok());
  EXPECT_NE(b2.status().message().find("the server's limit --max-streams=3"),
            std::string::npos);
  EXPECT_EQ(limits->active_streams(), 3);
  EXPECT_EQ(Refusals(kMaxStreamsPerUser), 1);
  EXPECT_EQ(Refusals(kMaxStreams), 1);
  a1->reset();
  EXPECT_EQ(limits->active_streams(), 2);
  EXPECT_TRUE(limits->Admit("user 'a'", "ipv4:127.0.0.1:6", "DoGet of 'x'").ok());
  EXPECT_EQ(limits->active_streams(), 2);  // that slot was dropped at once
}

TEST_F(StreamLimitsTest, UploadSizeCountsTheStoredBytesOfAnAppend) {
  LimitOptions options;
  options.max_upload_bytes = 1000;
  auto limits = Make(options);
  EXPECT_TRUE(limits->CheckUpload("d", 0, 1000).ok());
  auto upload = limits->CheckUpload("d", 0, 1001);
  ASSERT_TRUE(upload.IsInvalid());
  EXPECT_EQ(upload.message(),
            "upload of 'd' refused: it exceeds the limit --max-upload-bytes=1000 (1001 "
            "bytes received so far); the dataset is unchanged");
  EXPECT_TRUE(limits->CheckUpload("d", 600, 400).ok());
  auto append = limits->CheckUpload("d", 600, 401);
  ASSERT_TRUE(append.IsInvalid());
  EXPECT_NE(append.message().find("append to 'd' refused: the dataset would exceed the "
                                  "limit --max-upload-bytes=1000 (600 bytes stored"),
            std::string::npos);
  EXPECT_EQ(Refusals(kMaxUploadBytes), 2);
}

TEST_F(StreamLimitsTest, ZeroMeansNoLimit) {
  auto limits = Make(LimitOptions::Defaults());
  std::vector<std::unique_ptr<StreamSlot>> slots;
  for (int i = 0; i < 100; ++i) {
    auto slot = limits->Admit("client ipv4:127.0.0.1", "ipv4:127.0.0.1:1", "DoGet");
    ASSERT_TRUE(slot.ok());
    slots.push_back(std::move(*slot));
  }
  EXPECT_TRUE(limits->CheckUpload("d", int64_t{1} << 50, int64_t{1} << 50).ok());
}

/// A connected loopback TCP pair: {accepted (server side), client}.
std::pair<int, int> ConnectedPair(int* server_port) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  EXPECT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), size), 0);
  EXPECT_EQ(listen(listener, 1), 0);
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size);
  *server_port = ntohs(address.sin_port);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address), size), 0);
  int accepted = accept(listener, nullptr, nullptr);
  close(listener);
  timeval timeout{5, 0};  // a read that is never cut fails the test instead of hanging
  setsockopt(accepted, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  return {accepted, client};
}

std::string PeerOf(int client) {
  sockaddr_in address{};
  socklen_t size = sizeof(address);
  getsockname(client, reinterpret_cast<sockaddr*>(&address), &size);
  return "ipv4:127.0.0.1:" + std::to_string(ntohs(address.sin_port));
}

TEST(ConnectionCutterTest, ShutsDownTheConnectionOfThatPeerOnly) {
  int port = 0, other_port = 0;
  auto [accepted, client] = ConnectedPair(&port);
  auto [other_accepted, other_client] = ConnectedPair(&other_port);
  ASSERT_TRUE(CutConnection(PeerOf(client), port).ok());
  char byte = 0;
  EXPECT_EQ(read(accepted, &byte, 1), 0);  // shut down: end of stream at once
  EXPECT_EQ(read(client, &byte, 1), 0);    // and the peer sees it end
  EXPECT_EQ(write(other_client, "x", 1), 1);
  EXPECT_EQ(read(other_accepted, &byte, 1), 1);  // the other connection lives
  EXPECT_TRUE(CutConnection(PeerOf(other_client), port + 1).IsKeyError());  // wrong port
  EXPECT_TRUE(CutConnection("ipv4:127.0.0.1:1", 0).IsKeyError());
  EXPECT_TRUE(CutConnection("unix:/tmp/socket", 0).IsInvalid());
  EXPECT_TRUE(CutConnection("ipv6:::1:80", 0).IsInvalid());
  for (int fd : {accepted, client, other_accepted, other_client}) close(fd);
}

TEST_F(StreamLimitsTest, WatchdogCutsAStreamThatWaitsTooLong) {
  LimitOptions options;
  options.stream_idle_timeout = std::chrono::milliseconds(100);
  auto limits = Make(options);
  int port = 0;
  auto [accepted, client] = ConnectedPair(&port);
  limits->set_local_port(port);
  auto slot = limits->Admit("client", PeerOf(client), "DoPut of 'd'");
  ASSERT_TRUE(slot.ok());
  // Busy streams are not cut, however long they work.
  (*slot)->Busy();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE((*slot)->cut());
  (*slot)->Waiting();
  char byte = 0;
  EXPECT_EQ(read(accepted, &byte, 1), 0);  // blocks until the watchdog cuts it
  EXPECT_TRUE((*slot)->cut());
  EXPECT_EQ(Refusals(kStreamIdleTimeout), 1);
  close(accepted);
  close(client);
}

}  // namespace
}  // namespace quiver::server
