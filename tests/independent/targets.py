"""The target files of the independent implementation (``server.make_app``): TARGET for its
reads, TARGET_B for style b (mirrored HTTP statuses), and the ``[writes]`` tables a run with
writes needs (TARGET_WRITES, TARGET_B_WRITES)."""

TARGET = """[target]
base_url = "{base_url}"
token_env = "INDEPENDENT_TOKEN"
api_version = "v74"
error_http_status = "any"

[data]
rel_id = 9
unknown_rel_id = 12345
unknown_resource_id = 99

[[data.profiles]]
profile_id = "aaaaaaaaaaaaaaaaaaaaaa01"
email = "ann@shop.test"
phone = "+15550000001"
resource_id = 5
field_name = "CARD"
field_value = 77
subscription_email = "ann.news@shop.test"

[[data.profiles]]
profile_id = "aaaaaaaaaaaaaaaaaaaaaa02"
email = "bob@shop.test"
field_name = "CARD"
field_value = "B-2"
"""


TARGET_B = TARGET.replace('error_http_status = "any"', 'error_http_status = "mirror"')

# The tables a run with writes needs. They are kept out of TARGET and TARGET_B for now because the
# suite of this branch refuses a target file with an unknown table ([writes], [endpoints]); once
# the suite knows them (its --writes option), TARGET_WRITES / TARGET_B_WRITES are the files to use.
# profile_a (03) is not a [data] profile; it has links to 04 (Gift, Visits) and 05 (Gift and Rank,
# a property the suite does not write); 06 exists in Database B without a link.
WRITES = """
[writes]
rel_id = 9
profile_a = "aaaaaaaaaaaaaaaaaaaaaa03"
profiles_b = ["bbbbbbbbbbbbbbbbbbbbbb04", "bbbbbbbbbbbbbbbbbbbbbb05", "bbbbbbbbbbbbbbbbbbbbbb06"]
properties = ["Gift", "Visits"]

[endpoints]
attach = "/api/v1.1/relations/bind"
"""
TARGET_WRITES = TARGET + WRITES
TARGET_B_WRITES = TARGET_B + WRITES
