// "If successful, this method returns a 200 OK response code and a location header with a URI
// to the inviteParticipantsOperation created for this request."
export default function successDeclaresLocation(response) {
  const name = Object.keys(response?.headers ?? {}).find((h) => h.toLowerCase() === "location");
  if (!name) return [{ message: "The 200 response must declare a Location header." }];
  if (response.headers[name].required !== true) {
    return [{ message: "The 200 response's Location header must be required." }];
  }
}
