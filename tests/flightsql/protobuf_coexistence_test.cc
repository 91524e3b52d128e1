// Debian's libprotobuf (our Flight SQL messages) and the gRPC/protobuf hidden inside
// the wheel's libarrow_flight live in one process: a real Flight call carries our
// messages both ways.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <arrow/buffer.h>
#include <arrow/flight/client.h>
#include <arrow/flight/server.h>

#include "quiver/flightsql/command_codec.h"

#include "testing/assert.h"

namespace quiver::flightsql {
namespace {

namespace fl = arrow::flight;

// Answers CreatePreparedStatement with a handle that echoes the query.
class EchoServer : public fl::FlightServerBase {
 public:
  arrow::Status DoAction(const fl::ServerCallContext&, const fl::Action& action,
                         std::unique_ptr<fl::ResultStream>* result) override {
    ARROW_ASSIGN_OR_RAISE(
        auto request,
        DecodeAs<pb::ActionCreatePreparedStatementRequest>(action.body->ToString()));
    pb::ActionCreatePreparedStatementResult answer;
    answer.set_prepared_statement_handle("handle:" + request.query());
    std::vector<fl::Result> results(1);
    results[0].body = arrow::Buffer::FromString(Pack(answer));
    *result = std::make_unique<fl::SimpleResultStream>(std::move(results));
    return arrow::Status::OK();
  }
};

TEST(ProtobufCoexistence, FlightCallCarriesOurMessages) {
  EchoServer server;
  ASSERT_OK_AND_ASSIGN(auto location, fl::Location::ForGrpcTcp("127.0.0.1", 0));
  ASSERT_OK(server.Init(fl::FlightServerOptions(location)));
  ASSERT_OK_AND_ASSIGN(auto target, fl::Location::ForGrpcTcp("127.0.0.1", server.port()));
  ASSERT_OK_AND_ASSIGN(auto client, fl::FlightClient::Connect(target));

  pb::ActionCreatePreparedStatementRequest request;
  request.set_query("SELECT 42");
  fl::Action action{"CreatePreparedStatement", arrow::Buffer::FromString(Pack(request))};
  ASSERT_OK_AND_ASSIGN(auto stream, client->DoAction(action));
  ASSERT_OK_AND_ASSIGN(auto first, stream->Next());
  ASSERT_NE(first, nullptr);
  ASSERT_OK_AND_ASSIGN(auto answer, DecodeAs<pb::ActionCreatePreparedStatementResult>(
                                        first->body->ToString()));
  EXPECT_EQ(answer.prepared_statement_handle(), "handle:SELECT 42");

  // A hostile body is refused as INVALID_ARGUMENT, and the server keeps serving.
  fl::Action hostile{"CreatePreparedStatement", arrow::Buffer::FromString("\x0a\xff")};
  auto refused = client->DoAction(hostile);
  arrow::Status status = refused.ok() ? (*refused)->Next().status() : refused.status();
  EXPECT_TRUE(status.IsInvalid()) << status.ToString();
  ASSERT_OK_AND_ASSIGN(stream, client->DoAction(action));
  ASSERT_OK_AND_ASSIGN(first, stream->Next());
  ASSERT_NE(first, nullptr);
  ASSERT_OK(client->Close());
  ASSERT_OK(server.Shutdown());
}

}  // namespace
}  // namespace quiver::flightsql
