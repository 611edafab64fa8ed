/**
 * Hashes user passwords with a memory-hard function (argon2id in the host). `hash` output is a
 * self-describing string (PHC format) holding salt and parameters; `verify` runs in time that does
 * not depend on where a wrong password differs. Neither ever logs or returns the password.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>
  verify(hash: string, password: string): Promise<boolean>
}
