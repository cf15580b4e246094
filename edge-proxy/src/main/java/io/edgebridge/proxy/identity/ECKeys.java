package io.edgebridge.proxy.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.math.ec.ECPoint;

/** Derives the public half of an EC private key, so only the private key needs to be stored. */
public final class ECKeys {

    private ECKeys() {
    }

    public static PublicKey publicKeyOf(PrivateKey privateKey) throws GeneralSecurityException {
        if (!(privateKey instanceof ECPrivateKey ec)) {
            throw new GeneralSecurityException("not an EC key");
        }
        var curve = ECNamedCurveTable.getParameterSpec("secp256r1");
        BigInteger secret = ec.getS();
        ECPoint point = curve.getG().multiply(secret).normalize();
        var spec = new ECPublicKeySpec(new java.security.spec.ECPoint(point.getAffineXCoord().toBigInteger(),
                point.getAffineYCoord().toBigInteger()), ec.getParams());
        return KeyFactory.getInstance("EC").generatePublic(spec);
    }
}
