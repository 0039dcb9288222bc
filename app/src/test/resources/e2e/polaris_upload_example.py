# The "Upload file" and "Verify upload" examples of the Polaris "Upload files by API" page, as published, with only
# the constants a user is told to fill in filled in (host name, key, file name). Polaris examples send an OAuth token
# as Bearer; this service accepts its API keys the same way.
import hashlib
import os
import sys

import requests

FILES_ENDPOINT = os.environ["FILES_ENDPOINT"]
access_token = os.environ["FILES_API_KEY"]
FILENAME = sys.argv[1]


def post_to_upload(url, filename):
    def do_post():
        files = {'file': open(filename, 'rb')}
        headers = {"Authorization": "Bearer {token}".format(token=access_token)}
        return requests.request("POST", url, headers=headers, files=files)

    print(f"Submitting request to upload '{filename}'")
    response = do_post()
    response.raise_for_status()
    return response


def get_to_check(url):
    headers = {"Authorization": "Bearer {token}".format(token=access_token)}
    response = requests.get(url, headers=headers)
    response.raise_for_status()
    return response


def check_existing(url):
    try:
        response = get_to_check(url)
        found_it = True
        file_metadata = response.json()
    except requests.HTTPError:
        found_it = False
        file_metadata = {}
    return found_it, file_metadata


name = os.path.basename(FILENAME)
upload_success, _ = check_existing(f"{FILES_ENDPOINT}/{name}")
if upload_success:
    sys.exit(f"'{name}' is already on Polaris")

created = post_to_upload(FILES_ENDPOINT, FILENAME)
print("status", created.status_code)

upload_success, file_metadata = check_existing(f"{FILES_ENDPOINT}/{name}")
if not upload_success:
    sys.exit("upload not found after POST")
print(f"Success! '{name}' is uploaded on Polaris")

file_md5 = hashlib.md5(open(FILENAME, 'rb').read()).hexdigest()
polaris_hash = file_metadata["digest"]["hash"].lower()
if file_md5 == polaris_hash:
    print(f"The md5sum check succeeds for '{name}'.")
else:
    sys.exit(f"Error: The md5sum hashes do not match for '{name}': {file_md5} vs {polaris_hash}")

# "Uploading a file with the same name as a previously uploaded file results in a 409 Conflict error."
again = requests.request("POST", FILES_ENDPOINT, headers={"Authorization": f"Bearer {access_token}"},
                         files={'file': open(FILENAME, 'rb')})
assert again.status_code == 409, again.text
print("re-upload", again.status_code)

listing = requests.get(FILES_ENDPOINT, headers={"Authorization": f"Bearer {access_token}"}).json()
assert any(f["name"] == name for f in listing["files"]), listing
assert listing["space"]["usedBytes"] >= os.path.getsize(FILENAME), listing

deleted = requests.request("DELETE", f"{FILES_ENDPOINT}/{name}", headers={"Authorization": f"Bearer {access_token}"})
print("delete", deleted.status_code)
assert deleted.status_code == 204, deleted.text
again = requests.request("DELETE", f"{FILES_ENDPOINT}/{name}", headers={"Authorization": f"Bearer {access_token}"})
assert again.status_code == 404, again.text
print("EXAMPLE OK")
