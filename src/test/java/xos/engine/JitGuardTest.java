// SPDX-License-Identifier: MIT
package xos.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The JDK 17 C2 guard is in place once an engine exists (see JitGuard). */
class JitGuardTest {
  @Test
  void compareUnsignedIsNeverInlinedOnAffectedJdks() throws Exception {
    String state = JitGuard.install();
    int feature = Runtime.version().feature();
    if (feature >= 21 || Boolean.getBoolean("xos.noJitGuard")) {
      assertTrue(state.startsWith("not needed"), state);
      return;
    }
    assertEquals("compareUnsigned kept out of line on JDK " + feature, state);
    assertEquals(state, JitGuard.install(), "installed once");
    Object printed =
        ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "compilerDirectivesPrint",
                new Object[] {new String[0]},
                new String[] {String[].class.getName()});
    String text = String.valueOf(printed);
    assertTrue(text.contains("-java/lang/Integer.compareUnsigned") && text.contains("-java/lang/Long.compareUnsigned"),
        text);
  }
}
