# The "Upload file" and "Verify upload" examples of the Polaris "Upload files by API" page, with OAuth, as published:
# only the constants a user is told to fill in are filled in (organization, client id and secret, host names, file
# name), from the environment. At the end it waits for its token to expire and checks again, which must refresh it.
import hashlib
import os
import sys
import time

import requests

# Replace name with your organization
ORG_NAME = os.environ["ORG_NAME"]

# Supply the client ID and client secret in the following string variables.
CLIENT_ID = os.environ["CLIENT_ID"]
CLIENT_SECRET = os.environ["CLIENT_SECRET"]

# Supply the name of the file to upload in the following string variable
FILENAME = sys.argv[1]

# Store endpoints for Polaris OAuth API and Files API
TOKEN_ENDPOINT = "{host}/auth/realms/{org_name}/protocol/openid-connect/token".format(
    host=os.environ["AUTH_HOST"], org_name=ORG_NAME)
FILES_ENDPOINT = os.environ["FILES_ENDPOINT"]

access_token = None
refreshes = 0
file_md5 = hashlib.md5(open(FILENAME, 'rb').read()).hexdigest()


def update_token():
    global access_token, refreshes

    params = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "grant_type": "client_credentials",
    }

    response = requests.post(TOKEN_ENDPOINT, data=params)
    response.raise_for_status()

    access_token = response.json()['access_token']
    refreshes += 1


def post_to_upload(url, filename):
    def do_post():
        files = {'file': open(filename, 'rb')}
        headers = {
            "Authorization": "Bearer {token}".format(token=access_token)
        }
        return requests.request("POST", url, headers=headers, files=files)

    print(f"Submitting request to upload '{filename}'")
    response = do_post()

    # If the token expired, refresh it and try the request again
    while response.status_code == 401:
        print("Refreshing token")
        update_token()
        response = do_post()

    # Raise an exception on response errors
    response.raise_for_status()

    return response


def get_to_check(url):
    def do_get():
        headers = {
            "Authorization": "Bearer {token}".format(token=access_token)
        }
        return requests.get(url, headers=headers)

    print(f"Checking for '{FILENAME}' on Polaris")
    response = do_get()

    # If the token expired, refresh it and try the request again
    while response.status_code == 401:
        print("Refreshing token")
        update_token()
        response = do_get()

    # Raise an exception on response errors
    response.raise_for_status()

    return response


def check_existing(url):
    try:
        response = get_to_check(url)
        found_it = True
        file_metadata = response.json()
    except requests.HTTPError as exception:
        found_it = False
        file_metadata = {}

    return found_it, file_metadata


name = os.path.basename(FILENAME)

# Make sure there isn't already a file with the same name in Polaris
upload_success, _ = check_existing(f"{FILES_ENDPOINT}/{name}")

if upload_success == True:
    sys.exit(f"'{name}' is already on Polaris")

# Submit the upload
post_to_upload(FILES_ENDPOINT, FILENAME)

# Check whether the file has been uploaded
upload_success, file_metadata = check_existing(f"{FILES_ENDPOINT}/{name}")
if upload_success:
    print(f"Success! '{name}' is uploaded on Polaris")

# Verify data integrity by comparing md5sum hashes
polaris_hash = file_metadata["digest"]["hash"].lower()
if file_md5 != polaris_hash:
    sys.exit(f"MD5 mismatch: {file_md5} != {polaris_hash}")
print("The MD5 checksums match")

# Let the token expire, then check again: the script must refresh it on the 401
time.sleep(float(os.environ["TOKEN_LIFETIME_SECONDS"]) + 1.5)
refreshes_before = refreshes
upload_success, _ = check_existing(f"{FILES_ENDPOINT}/{name}")
if not upload_success or refreshes != refreshes_before + 1:
    sys.exit("the expired token was not refreshed")
print(f"EXAMPLE OK after {refreshes} token requests")
