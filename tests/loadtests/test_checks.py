"""Every response is judged once, with a reason that says what was expected."""

import json

from loadtests.checks import expect, expect_graphql


class Response:
    """What `catch_response` hands a task: a response that records its verdict."""

    def __init__(self, status=200, body=b"", content_type="application/json"):
        self.status_code = status
        self.content = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.text = self.content.decode(errors="replace")
        self.headers = {"Content-Type": content_type}
        self.verdicts = []

    def json(self):
        return json.loads(self.text)

    def success(self):
        self.verdicts.append("success")

    def failure(self, reason):
        self.verdicts.append(reason)


def test_a_response_with_the_expected_status_and_keys_succeeds_and_returns_its_json():
    response = Response(201, {"id": "a1", "name": "x"})
    assert expect(response, 201, keys=("id",)) == {"id": "a1", "name": "x"}
    assert response.verdicts == ["success"]


def test_an_unexpected_status_fails_with_the_status_and_the_body():
    response = Response(500, {"error": "boom"})
    assert expect(response, 200) is None
    assert response.verdicts == ['HTTP 500, expected 200: {"error": "boom"}']


def test_no_http_answer_fails_naming_the_connections_error():
    response = Response(0)
    response.error = ConnectionRefusedError(111, "Connection refused")
    assert expect(response, 200) is None
    assert response.verdicts == ["no HTTP response: ConnectionRefusedError: [Errno 111] Connection refused"]


def test_a_missing_key_fails_naming_it():
    response = Response(200, {"id": "a1"})
    expect(response, 200, keys=("id", "name"))
    assert response.verdicts[0].startswith("JSON lacks name")


def test_a_body_that_is_not_json_fails():
    response = Response(200, b"<html>gateway</html>", "text/html")
    expect(response, 200, keys=("id",))
    assert response.verdicts == ["body is not JSON: <html>gateway</html>"]


def test_audio_must_have_the_content_type_and_enough_bytes():
    wrong_type, short = Response(200, b"x" * 100, "application/json"), Response(200, b"x" * 10, "audio/wav")
    expect(wrong_type, 200, content_type="audio/")
    expect(short, 200, content_type="audio/", min_bytes=50)
    assert wrong_type.verdicts == ["Content-Type 'application/json', expected audio/*"]
    assert short.verdicts == ["body of 10 bytes, expected at least 50"]


def test_graphql_errors_fail_although_the_status_is_200():
    response = Response(200, {"data": None, "errors": [{"message": "agent not found"}]})
    assert expect_graphql(response, "agent") is None
    assert response.verdicts == ["GraphQL errors: [{'message': 'agent not found'}]"]


def test_graphql_without_the_asked_field_fails():
    response = Response(200, {"data": {"other": 1}})
    expect_graphql(response, "agent")
    assert response.verdicts[0].startswith("GraphQL data.agent is missing")


def test_graphql_with_the_field_succeeds_and_returns_it():
    response = Response(200, {"data": {"createAgent": {"id": "a9"}}})
    assert expect_graphql(response, "createAgent") == {"id": "a9"}
    assert response.verdicts == ["success"]
