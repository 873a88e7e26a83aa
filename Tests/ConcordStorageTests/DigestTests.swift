import Crypto
@testable import ConcordStorage
import Testing

@Suite struct DigestTests {
    /// FIPS 180-2's test vectors, and parts hashed one after another as their joined text (the audit chain hashes
    /// the previous entry's hash and the entry's canonical text so).
    @Test func hexDigestIsSHA256OfTheUTF8OfThePartsInOrder() {
        #expect(SHA256.hexDigest(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(of: "a", "", "bc") == SHA256.hexDigest(of: "abc"))
        #expect(SHA256.hexDigest(of: "abc", "def") != SHA256.hexDigest(of: "def", "abc"))
        let text = "£12,000 – Maidstone & Malling"
        #expect(SHA256.hexDigest(of: text) == Array(SHA256.hash(data: Array(text.utf8))).hexString)
        #expect(Secrets.digest(text) == SHA256.hexDigest(of: text))
    }
}
